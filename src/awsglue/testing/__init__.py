"""Unit-testing Glue scripts locally: a pytest plugin and helpers (docs/testing-glue-scripts.md).

Installed with OpenGlue, the plugin (``awsglue.testing.pytest_plugin``) gives tests a
``glue_context`` on a local engine, with no server and no AWS account. The helpers here work
with or without pytest.
"""

from awsglue.testing.frames import dynamic_frame_from_rows, frame_rows

__all__ = ["dynamic_frame_from_rows", "frame_rows"]
