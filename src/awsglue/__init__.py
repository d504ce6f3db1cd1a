"""OpenGlue's clean-room ``awsglue`` library (GlueContext, DynamicFrame, transforms, Job).

Filled by the ETL runtime work; installed with OpenGlue so ``import awsglue`` already resolves.
"""
