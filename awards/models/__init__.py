"""Award catalogue and rules (catalogue.py), achievement history and nominations
(nominations.py), voting rounds, ballots and elections (ballots.py)."""

from .ballots import Ballot, BallotChoice, Candidate, Participation, VotingRound
from .catalogue import AwardRule, AwardType
from .nominations import Achievement, Nomination, NominationEvent, Recipient

__all__ = [
    "Achievement",
    "AwardRule",
    "AwardType",
    "Ballot",
    "BallotChoice",
    "Candidate",
    "Nomination",
    "NominationEvent",
    "Participation",
    "Recipient",
    "VotingRound",
]
