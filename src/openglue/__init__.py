"""OpenGlue: an open-source, self-hosted ETL service that speaks the AWS Glue API."""

__version__ = "0.1.0"
