"""OpenGlue's clean-room ``awsglue`` library (GlueContext, DynamicFrame, transforms, Job).

Written from scratch on PySpark's DataFrame API, so Glue scripts run unchanged on classic Spark
and on Spark Connect engines (see ``awsglue.engine``).
"""

from awsglue.dynamicframe import DynamicFrame

__all__ = ["DynamicFrame"]
