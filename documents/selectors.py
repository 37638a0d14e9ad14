"""Reads of the documents pages, in a fixed number of queries whatever the number of
schools, years, rounds or jobs."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q

from awards.enums import NominationStatus, RoundStatus
from awards.models import Nomination, VotingRound
from cluster.models import EmulationYear
from evaluations.models import CriteriaTable, Pledge

from .enums import FORMATS_OF_KIND, DocumentKind
from .errors import message_for
from .models import DocumentJob
from .rules import DocumentTarget

RECENT_JOBS = 20


def year_of_cluster(code: str, label: str) -> EmulationYear:
    """The year with its cluster and scoring settings (raises DoesNotExist)."""
    return EmulationYear.objects.select_related("cluster", "scoring").get(
        cluster__code=code, label=label
    )


def job_for_page(pk) -> DocumentJob:
    return DocumentJob.objects.select_related(
        "cluster", "year", "year__cluster", "year__scoring", "requested_by"
    ).get(pk=pk)


@dataclass
class DocumentOption:
    """A document of the page: may the user ask for it, and is there anything to print."""

    kind: str
    label: str
    formats: tuple[str, ...]
    allowed: bool
    available: bool
    reason: str = ""
    rounds: list = field(default_factory=list)  # the vote-count minutes: one per round


@dataclass
class DocumentsPage:
    year: EmulationYear
    options: list[DocumentOption]
    years: list[EmulationYear]
    default_first: EmulationYear | None
    jobs: list[DocumentJob]

    @property
    def any_allowed(self) -> bool:
        return any(option.allowed for option in self.options)


def _default_first(years: list[EmulationYear], year: EmulationYear) -> EmulationYear | None:
    """Five years back (2020–2025 for 2025): the earliest year starting at most five
    calendar years before ``year``."""
    earliest = year.start_date.year - 5
    candidates = [
        y for y in years if earliest <= y.start_date.year and y.start_date <= year.start_date
    ]
    return min(candidates, key=lambda y: y.start_date) if candidates else year


def documents_page(year: EmulationYear, user) -> DocumentsPage:
    pledges = Pledge.objects.filter(year=year, status__in=("submitted", "accepted")).count()
    has_criteria = CriteriaTable.objects.filter(year=year, criteria__parent__isnull=False).exists()
    rounds = list(
        VotingRound.objects.filter(year=year, status=RoundStatus.CLOSED).order_by("closed_at", "pk")
    )
    nominations = Nomination.objects.filter(
        year=year, status__in=(NominationStatus.APPROVED, NominationStatus.FORWARDED)
    ).count()
    try:
        published = year.scoring.stage in ("published", "frozen")
    except ObjectDoesNotExist:
        published = False
    years = list(EmulationYear.objects.filter(cluster_id=year.cluster_id).order_by("start_date"))

    availability = {
        DocumentKind.COVENANT: (pledges > 0, "no_pledges"),
        DocumentKind.SCORE_SUMMARY: (has_criteria, "no_criteria"),
        DocumentKind.REVIEW_MINUTES: (bool(rounds) or published, "nothing_to_review"),
        DocumentKind.VOTE_COUNT_MINUTES: (bool(rounds), "round_not_closed"),
        DocumentKind.AWARD_SUBMISSION: (nominations > 0, "no_nominations"),
        DocumentKind.ANNUAL_REPORT: (True, ""),
        DocumentKind.MULTI_YEAR_SUMMARY: (True, ""),
    }
    options = []
    for kind, label in DocumentKind.choices:
        available, code = availability[kind]
        options.append(
            DocumentOption(
                kind=kind,
                label=label,
                formats=FORMATS_OF_KIND[kind],
                allowed=user.has_perm("documents.request_document", DocumentTarget(kind, year)),
                available=available,
                reason="" if available else str(message_for(code)),
                rounds=rounds if kind == DocumentKind.VOTE_COUNT_MINUTES else [],
            )
        )

    jobs = [
        job
        for job in DocumentJob.objects.filter(Q(year=year))
        .select_related("requested_by", "cluster")
        .order_by("-created_at")[:RECENT_JOBS]
        if user.has_perm("documents.read_document", _with_year(job, year))
    ]
    return DocumentsPage(
        year=year,
        options=options,
        years=years,
        default_first=_default_first(years, year),
        jobs=jobs,
    )


def _with_year(job: DocumentJob, year: EmulationYear) -> DocumentJob:
    # The list is of this year's jobs: reuse the loaded year (and its scoring settings).
    job.year = year
    return job
