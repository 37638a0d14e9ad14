"""Admin for voting rounds (ballots are never editable)."""
