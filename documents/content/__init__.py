"""Content builders: ``build(kind, params)`` returns the ``OfficialDocument`` of a kind.

Builders read only what may be printed (submitted or accepted pledges and reports,
published results, closed rounds, approved or forwarded nominations) and raise
``DocumentError`` when there is nothing to print.
"""

from __future__ import annotations

from collections.abc import Callable

from ..enums import TYPE_CODE_OF_KIND, DocumentKind
from ..layout import OfficialDocument
from . import covenant, minutes, reports, scores, submission

BUILDERS: dict[str, Callable[[dict, str], OfficialDocument]] = {
    DocumentKind.COVENANT: covenant.build,
    DocumentKind.SCORE_SUMMARY: scores.build,
    DocumentKind.REVIEW_MINUTES: minutes.build_review,
    DocumentKind.VOTE_COUNT_MINUTES: minutes.build_vote_count,
    DocumentKind.AWARD_SUBMISSION: submission.build,
    DocumentKind.ANNUAL_REPORT: reports.build_annual,
    DocumentKind.MULTI_YEAR_SUMMARY: reports.build_multi_year,
}


def build(kind: str, params: dict) -> OfficialDocument:
    return BUILDERS[kind](params, TYPE_CODE_OF_KIND[kind])
