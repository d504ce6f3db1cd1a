"""Glue's ML transforms package; see ``awsglueml.transforms``."""
