"""Why a document cannot be produced, in plain words.

A job stores the code of its failure (``DocumentJob.error_code``); the pages show the
message of that code in the reader's language, so the stored failure never depends on the
language of whoever ran the worker.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "no_pledges": _(
        "No school has submitted its pledge for this year yet: the covenant lists the "
        "submitted and accepted pledges only."
    ),
    "no_criteria": _("This year has no criteria table yet, so there are no scores to summarise."),
    "no_members": _("This year has no member schools."),
    "nothing_to_review": _(
        "There is nothing to record yet: no voting round of this year is closed and the "
        "results are not published."
    ),
    "round_not_closed": _(
        "This voting round is not closed yet: its vote count is known only after closing."
    ),
    "round_missing": _("This voting round no longer exists."),
    "no_nominations": _(
        "No nomination of this year has been approved by the cluster or forwarded to the "
        "Academy yet."
    ),
    "no_years": _("No year of the cluster falls in the chosen range."),
    "year_missing": _("The year of this document no longer exists."),
    "bad_range": _("The first year of the range must not come after the last one."),
    "render_failed": _(
        "The file could not be produced because of an unexpected error on the server. "
        "Try again; if it fails again, tell the administrator."
    ),
    "worker_lost": _(
        "The server that was producing the file stopped before it finished, several "
        "times. Try again later; if it fails again, tell the administrator."
    ),
}


def message_for(code: str) -> str:
    return MESSAGES.get(code, MESSAGES["render_failed"])


class DocumentError(Exception):
    """The document cannot be produced from the data as it is (not a server fault): the
    job fails at once with the message of ``code``; retrying helps only once the data
    changed."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail

    @property
    def message(self) -> str:
        return str(message_for(self.code))
