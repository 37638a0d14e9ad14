"""Permission predicates of the awards app, split by topic."""

from .rules_ballots import *  # noqa: F401,F403
from .rules_nominations import *  # noqa: F401,F403
