"""Models: see the issues that build this app."""
