"""``from awsglueml.transforms import FillMissingValues`` as in Glue scripts (the code lives in
``awsglue.transforms.ml_transforms``)."""

from awsglue.transforms.ml_transforms import FillMissingValues, FindIncrementalMatches, FindMatches

__all__ = ["FillMissingValues", "FindIncrementalMatches", "FindMatches"]
