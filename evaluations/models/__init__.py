"""Criteria tables, indicators, pledges and annual reports (issue: pledges and reports).

Split by topic: criteria.py (criteria tables, deduction reasons, indicators, extensions),
pledges.py (pledges and targets), reports.py (annual reports, self-scores, evidence),
scoring.py (cross-scoring, publication, objections, frozen results).
"""

from .criteria import (
    CriteriaTable,
    Criterion,
    DeductionReason,
    Extension,
    Indicator,
    TableReopening,
)
from .pledges import Pledge, PledgeTarget
from .reports import (
    AnnualReport,
    BonusClaim,
    DeclaredDeduction,
    Evidence,
    IndicatorResult,
    ReportEvent,
    ReportEventKind,
    SelfScore,
)
from .scoring import (
    Assignment,
    CrossScore,
    ImposedDeduction,
    Objection,
    ResultRow,
    ScoringSettings,
)

__all__ = [
    "Assignment",
    "CrossScore",
    "ImposedDeduction",
    "Objection",
    "ResultRow",
    "ScoringSettings",
    "AnnualReport",
    "BonusClaim",
    "CriteriaTable",
    "Criterion",
    "DeclaredDeduction",
    "DeductionReason",
    "Evidence",
    "Extension",
    "Indicator",
    "IndicatorResult",
    "Pledge",
    "PledgeTarget",
    "ReportEvent",
    "ReportEventKind",
    "SelfScore",
    "TableReopening",
]
