"""Object storage the server reads: local folders, embedded buckets, S3-compatible stores."""
