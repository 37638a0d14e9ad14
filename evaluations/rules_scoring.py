"""Predicates for cross-scoring, results, objections and freezing."""
