"""Crawlers: targets → classifiers → inference → grouping/partitions → reconcile."""
