"""Predicates for voting rounds, ballots and elections."""
