"""The ``openglue`` command line."""
