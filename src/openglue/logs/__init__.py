"""CloudWatch Logs over the job runs' log files: the groups Glue writes to, read-only."""
