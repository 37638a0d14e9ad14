"""Predicates for cross-scoring, results, objections and freezing.

Objects: an ``EmulationYear`` (year-level permissions), an ``Assignment`` or an
``Objection``. The year's results stage (scoring → published → frozen) decides much:

- before publication scoring is blind: a representative sees only its own school's
  assignments and scores; the secretariat of the cluster (and the admin) sees everything;
  observers see the progress matrix's statuses, never individual scores;
- after publication every member of the cluster and every observer reads the results, the
  spreads and each scorer's scores (the cluster works in the open).
"""

from __future__ import annotations

import rules
from django.core.exceptions import ObjectDoesNotExist

from accounts.rules import is_admin, is_observer, is_representative, is_secretariat
from cluster.rules import school_is_in_cluster

from .enums import AssignmentStatus, ResultsStage

# evaluations/rules.py star-imports every topic module: export nothing by accident.
__all__: list[str] = []


def _year_of(obj):
    """The EmulationYear of ``obj`` (a year, an assignment, an objection), else None."""
    from cluster.models import EmulationYear

    if isinstance(obj, EmulationYear):
        return obj
    return getattr(obj, "year", None)


def stage_of(year) -> str:
    """The results stage of a year (``scoring`` when nothing was set up yet). Cached by
    Django on the year (reverse one-to-one), so repeated checks cost one query at most."""
    try:
        return year.scoring.stage
    except ObjectDoesNotExist:  # no settings yet
        return ResultsStage.SCORING


def objection_window_open(year, today=None) -> bool:
    from django.utils import timezone

    try:
        settings = year.scoring
    except ObjectDoesNotExist:
        return False
    if settings.stage != ResultsStage.PUBLISHED or settings.objections_until is None:
        return False
    return (today or timezone.localdate()) <= settings.objections_until


@rules.predicate
def manages_year(user, obj) -> bool:
    year = _year_of(obj)
    if year is None:
        return False
    return bool(is_admin(user) or (is_secretariat(user) and user.cluster_id == year.cluster_id))


@rules.predicate
def reads_cluster_of(user, obj) -> bool:
    """A representative of a school of the cluster, or an observer."""
    year = _year_of(obj)
    if year is None:
        return False
    return bool(is_observer(user) or school_is_in_cluster(user, year.cluster))


@rules.predicate
def is_member_representative(user, obj) -> bool:
    """A representative whose school is a member of the object's year."""
    year = _year_of(obj)
    if year is None or not is_representative(user):
        return False
    cache = user.__dict__.setdefault("_member_years_cache", {})
    if year.pk not in cache:
        from cluster.selectors import members_of_year

        cache[year.pk] = members_of_year(year).filter(pk=user.school_id).exists()
    return cache[year.pk]


@rules.predicate
def results_published(user, obj) -> bool:
    year = _year_of(obj)
    return year is not None and stage_of(year) in (ResultsStage.PUBLISHED, ResultsStage.FROZEN)


@rules.predicate
def in_scoring_stage(user, obj) -> bool:
    year = _year_of(obj)
    return year is not None and stage_of(year) == ResultsStage.SCORING


@rules.predicate
def in_published_stage(user, obj) -> bool:
    year = _year_of(obj)
    return year is not None and stage_of(year) == ResultsStage.PUBLISHED


@rules.predicate
def not_frozen(user, obj) -> bool:
    year = _year_of(obj)
    return year is not None and stage_of(year) != ResultsStage.FROZEN


@rules.predicate
def objections_open(user, obj) -> bool:
    year = _year_of(obj)
    return year is not None and objection_window_open(year)


@rules.predicate
def is_scorer_of(user, assignment) -> bool:
    return bool(
        is_representative(user)
        and getattr(assignment, "scorer_id", None) is not None
        and user.school_id == assignment.scorer_id
    )


@rules.predicate
def assignment_open(user, assignment) -> bool:
    return bool(
        getattr(assignment, "status", None) != AssignmentStatus.SUBMITTED
        and not getattr(assignment, "conflict_declared", True)
    )


@rules.predicate
def assignment_submitted(user, assignment) -> bool:
    return getattr(assignment, "status", None) == AssignmentStatus.SUBMITTED


# Year-level
can_manage_scoring = manages_year
can_edit_scoring = manages_year & in_scoring_stage
can_view_progress = manages_year | is_observer
can_view_results = manages_year | (results_published & reads_cluster_of)
# Individual scores by scorer: the secretariat always; members and observers once published.
can_view_individual_scores = can_view_results
can_view_my_targets = is_member_representative
can_publish_results = manages_year & in_scoring_stage
can_freeze_results = manages_year & in_published_stage
can_approve_points = manages_year & not_frozen
can_raise_objection = is_member_representative & objections_open
can_read_objections = manages_year | (results_published & reads_cluster_of)

# Assignment-level
can_view_assignment = manages_year | is_scorer_of | (results_published & reads_cluster_of)
can_score_assignment = is_scorer_of & in_scoring_stage & assignment_open
can_declare_conflict = is_scorer_of & in_scoring_stage & assignment_open
can_reopen_assignment = manages_year & in_scoring_stage & assignment_submitted

# Objection-level
can_answer_objection = manages_year & in_published_stage

rules.add_perm("evaluations.manage_scoring", can_manage_scoring)
rules.add_perm("evaluations.edit_scoring", can_edit_scoring)
rules.add_perm("evaluations.view_scoring_progress", can_view_progress)
rules.add_perm("evaluations.view_results", can_view_results)
rules.add_perm("evaluations.view_individual_scores", can_view_individual_scores)
rules.add_perm("evaluations.view_my_targets", can_view_my_targets)
rules.add_perm("evaluations.publish_results", can_publish_results)
rules.add_perm("evaluations.freeze_results", can_freeze_results)
rules.add_perm("evaluations.approve_points", can_approve_points)
rules.add_perm("evaluations.raise_objection", can_raise_objection)
rules.add_perm("evaluations.read_objections", can_read_objections)
rules.add_perm("evaluations.view_assignment", can_view_assignment)
rules.add_perm("evaluations.score_assignment", can_score_assignment)
rules.add_perm("evaluations.declare_conflict", can_declare_conflict)
rules.add_perm("evaluations.reopen_assignment", can_reopen_assignment)
rules.add_perm("evaluations.answer_objection", can_answer_objection)
