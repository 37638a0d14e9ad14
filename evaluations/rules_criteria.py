"""Predicates for criteria tables, indicators and pledges (owned by the criteria/pledges work)."""
