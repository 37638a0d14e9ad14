"""Predicates for annual reports, evidence, extensions and progress."""
