"""Who may ask for which document, and who may download it.

Objects: an ``EmulationYear`` (the documents page), a ``DocumentTarget`` (a kind for a
year, before any job exists) or a ``DocumentJob`` (its kind and year). Load jobs with
``select_related("year__cluster", "cluster")``.

Asking (``documents.request_document``, also retrying a failed job):
- official documents, which take a number and commit the cluster (the covenant, the
  minutes of the review meeting, the vote-count minutes, the submission for awards): the
  secretariat of the cluster and the administrator;
- the score summary: the same, and, once the results are published, every reader of the
  cluster (the member schools' representatives and the Academy's observers), as they read
  the published results anyway;
- the annual report and the multi-year summary: every reader of the cluster (they hold
  published results only).

Reading and downloading (``documents.read_document``): whoever may ask for it, and every
reader of the cluster for the official documents once produced: they hold only what the
members already see (submitted or accepted pledges, closed rounds, approved nominations),
never a draft, and the cluster works in the open (DOMAIN rule 14).

The page of a year's documents (``documents.view_documents``): every reader of the cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules

from accounts.rules import is_admin, is_secretariat
from cluster.rules import can_view_cluster

from .enums import OFFICIAL_KINDS, DocumentKind

READ_ONLY_KINDS = frozenset({DocumentKind.ANNUAL_REPORT, DocumentKind.MULTI_YEAR_SUMMARY})
PUBLISHED_STAGES = ("published", "frozen")


@dataclass(frozen=True)
class DocumentTarget:
    """A kind of document for a year, as a permission object."""

    kind: str
    year: object  # cluster.models.EmulationYear

    @property
    def cluster(self):
        return self.year.cluster


def _year_of(obj):
    from cluster.models import EmulationYear

    if isinstance(obj, EmulationYear):
        return obj
    return getattr(obj, "year", None)


def _cluster_of(obj):
    cluster = getattr(obj, "cluster", None)
    if cluster is not None:
        return cluster
    year = _year_of(obj)
    return year.cluster if year is not None else None


@rules.predicate
def is_secretariat_of_cluster(user, obj) -> bool:
    cluster = _cluster_of(obj)
    return bool(cluster is not None and is_secretariat(user) and user.cluster_id == cluster.pk)


@rules.predicate
def reads_cluster(user, obj) -> bool:
    cluster = _cluster_of(obj)
    return cluster is not None and can_view_cluster(user, cluster)


@rules.predicate
def is_official_kind(user, obj) -> bool:
    return getattr(obj, "kind", None) in OFFICIAL_KINDS


@rules.predicate
def is_read_only_kind(user, obj) -> bool:
    return getattr(obj, "kind", None) in READ_ONLY_KINDS


@rules.predicate
def is_score_summary(user, obj) -> bool:
    return getattr(obj, "kind", None) == DocumentKind.SCORE_SUMMARY


@rules.predicate
def results_published(user, obj) -> bool:
    """The year's results are published or frozen (one cached query per year)."""
    from evaluations.rules_scoring import stage_of

    year = _year_of(obj)
    return year is not None and stage_of(year) in PUBLISHED_STAGES


runs_cluster = is_admin | is_secretariat_of_cluster
can_view_documents = runs_cluster | reads_cluster
can_request_document = runs_cluster | (
    reads_cluster & (is_read_only_kind | (is_score_summary & results_published))
)
can_read_document = runs_cluster | (
    reads_cluster & (is_official_kind | is_read_only_kind | (is_score_summary & results_published))
)

rules.add_perm("documents.view_documents", can_view_documents)
rules.add_perm("documents.request_document", can_request_document)
rules.add_perm("documents.read_document", can_read_document)
