"""The protocol layer: AWS JSON 1.1 driven by botocore's service models."""
