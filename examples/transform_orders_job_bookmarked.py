import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

# Read from Glue Catalog
orders = glueContext.create_dynamic_frame.from_catalog(
    database="ecommerce_data",
    table_name="orders",
    transformation_ctx="orders"
)

# Transform: Filter completed orders
completed_orders = Filter.apply(frame=orders, f=lambda x: x["status"] == "completed")

# Write to S3
glueContext.write_dynamic_frame.from_options(
    frame=completed_orders,
    connection_type="s3",
    connection_options={"path": "s3://my-app-bucket/orders_cleaned/"},
    format="parquet"
)

job.commit()
