"""Permission predicates of the evaluations app, split by topic."""

from .rules_criteria import *  # noqa: F401,F403
from .rules_reports import *  # noqa: F401,F403
from .rules_scoring import *  # noqa: F401,F403
