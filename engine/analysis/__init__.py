"""Batch runs and comparisons of scenarios and variants."""
