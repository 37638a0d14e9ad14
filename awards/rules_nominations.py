"""Predicates for the award catalogue, achievements and nominations."""
