"""The Data Catalog services: the rules of Glue's catalog, over the stores."""
