"""awards.services.nominations: every transition, allowed and refused, with its event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from awards.enums import NominationStatus as S
from awards.enums import RecipientKind, RoundKind, RoundStatus
from awards.models import Achievement, Candidate, Nomination, NominationEvent, VotingRound
from awards.models.nominations import DossierDocument, DossierKind, NominationComment
from awards.services import nominations as services
from tests import factories as f

from .nominations_support import *  # noqa: F403
from .nominations_support import achieve, make_recipient, nominate, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(cluster4):
    return make_recipient(cluster4.school_a, "Nguyễn Văn Mạnh")


def events(nomination) -> list[tuple[str, str]]:
    return list(
        NominationEvent.objects.filter(nomination=nomination)
        .order_by("pk")
        .values_list("from_status", "to_status")
    )


def status_of(nomination) -> str:
    return Nomination.objects.get(pk=nomination.pk).status


# --- drafts ----------------------------------------------------------------------------------


def test_save_nomination_creates_draft_with_event(cluster4, awards, rep_a, person):
    nomination = Nomination(
        year=cluster4.year, school=cluster4.school_a, recipient=person, award_type=awards["LDTT"]
    )
    services.save_nomination(nomination=nomination, by=rep_a, achievement_report=pdf())
    assert (nomination.status, nomination.created_by) == (S.DRAFT, rep_a)
    assert nomination.achievement_report_name == "bao-cao.pdf"
    assert events(nomination) == [("", S.DRAFT)]


def test_save_nomination_refused_for_other_school(cluster4, awards, rep_b, person):
    nomination = Nomination(
        year=cluster4.year, school=cluster4.school_a, recipient=person, award_type=awards["LDTT"]
    )
    with pytest.raises(PermissionDenied):
        services.save_nomination(nomination=nomination, by=rep_b)
    assert Nomination.objects.count() == 0


def test_save_nomination_refused_when_school_not_member_of_year(cluster4, awards, person):
    outsider = f.SchoolFactory(code="SCZ")
    rep = f.UserFactory(email="z@example.vn", role="representative", school=outsider)
    nomination = Nomination(
        year=cluster4.year,
        school=outsider,
        recipient=make_recipient(outsider, "Người Z"),
        award_type=awards["LDTT"],
    )
    with pytest.raises(PermissionDenied):
        services.save_nomination(nomination=nomination, by=rep)


def test_save_nomination_refuses_second_live_proposal_same_period(cluster4, awards, rep_a, person):
    nominate(cluster4.year, cluster4.school_a, person, awards["LDTT"], status=S.SUBMITTED)
    nomination = Nomination(
        year=cluster4.year, school=cluster4.school_a, recipient=person, award_type=awards["LDTT"]
    )
    with pytest.raises(ValidationError) as error:
        services.save_nomination(nomination=nomination, by=rep_a)
    assert error.value.error_dict["award_type"][0].code == "duplicate"


def test_save_nomination_refuses_recipient_of_wrong_kind(cluster4, awards, rep_a):
    unit = make_recipient(cluster4.school_a, "Khoa A", RecipientKind.COLLECTIVE)
    nomination = Nomination(
        year=cluster4.year, school=cluster4.school_a, recipient=unit, award_type=awards["LDTT"]
    )
    with pytest.raises(ValidationError) as error:
        services.save_nomination(nomination=nomination, by=rep_a)
    assert error.value.error_dict["award_type"][0].code == "recipient_kind"


def test_save_nomination_rejects_fake_pdf(cluster4, awards, rep_a, person):
    from django.core.files.uploadedfile import SimpleUploadedFile

    nomination = Nomination(
        year=cluster4.year, school=cluster4.school_a, recipient=person, award_type=awards["LDTT"]
    )
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf at all" * 10)
    with pytest.raises(ValidationError) as error:
        services.save_nomination(nomination=nomination, by=rep_a, achievement_report=fake)
    assert "achievement_report" in error.value.error_dict


def test_editing_submitted_nomination_refused(cluster4, awards, rep_a, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="submitted"
    )
    nomination.achievement_summary = "Sửa"
    with pytest.raises(PermissionDenied):
        services.save_nomination(nomination=nomination, by=rep_a)


def test_new_report_withdraws_certification(cluster4, awards, rep_a, person):
    nomination = nominate(
        cluster4.year,
        cluster4.school_a,
        person,
        awards["LDTT"],
        status=S.RETURNED,
        achievement_report_certified=True,
    )
    services.save_nomination(nomination=nomination, by=rep_a, achievement_report=pdf())
    assert Nomination.objects.get(pk=nomination.pk).achievement_report_certified is False


def test_recipient_for_reuses_identity_and_updates_position(cluster4):
    first = services.recipient_for(
        school=cluster4.school_a, kind="individual", name=" Lê  Văn  Tám ", position="Giảng viên"
    )
    again = services.recipient_for(
        school=cluster4.school_a, kind="individual", name="Lê Văn Tám", position="Trưởng khoa"
    )
    assert first.pk == again.pk
    assert again.position == "Trưởng khoa"


def test_recipient_for_whole_school(cluster4):
    whole = services.recipient_for(
        school=cluster4.school_a, kind="individual", name="", is_whole_school=True
    )
    assert (whole.kind, whole.name, whole.is_whole_school) == (
        "collective",
        cluster4.school_a.name,
        True,
    )


# --- submit ----------------------------------------------------------------------------------


def test_submit_eligible_stores_checks_and_event(cluster4, awards, rep_a, person):
    nomination = nominate(cluster4.year, cluster4.school_a, person, awards["LDTT"])
    services.submit_nomination(nomination=nomination, by=rep_a, on=dt.date(2026, 12, 1))
    nomination.refresh_from_db()
    assert nomination.status == S.SUBMITTED
    assert nomination.submitted_at is not None
    assert [c["code"] for c in nomination.eligibility] == [
        "recipient_kind",
        "legal_basis",
        "one_award",
    ]
    assert events(nomination) == [(S.DRAFT, S.SUBMITTED)]


def test_submit_statutory_failure_blocks_and_changes_nothing(cluster4, awards, rep_a, person):
    nomination = nominate(cluster4.year, cluster4.school_a, person, awards["CSTD_BO"])
    with pytest.raises(services.NotEligible) as error:
        services.submit_nomination(nomination=nomination, by=rep_a, on=dt.date(2026, 12, 1))
    assert "consecutive_years" in [c.code for c in error.value.checks if not c.passed]
    nomination.refresh_from_db()
    assert (nomination.status, nomination.eligibility, nomination.submitted_at) == (
        S.DRAFT,
        [],
        None,
    )
    assert events(nomination) == []


def test_submit_needs_summary_and_report(cluster4, awards, rep_a, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], achievement_summary=""
    )
    nomination.achievement_report = ""
    nomination.save()
    with pytest.raises(ValidationError) as error:
        services.submit_nomination(nomination=nomination, by=rep_a)
    assert set(error.value.error_dict) == {"achievement_summary", "achievement_report"}


def test_submit_by_other_school_refused(cluster4, awards, rep_b, person):
    nomination = nominate(cluster4.year, cluster4.school_a, person, awards["LDTT"])
    with pytest.raises(PermissionDenied):
        services.submit_nomination(nomination=nomination, by=rep_b)


def test_resubmit_returned_clears_return_comment(cluster4, awards, rep_a, person):
    nomination = nominate(
        cluster4.year,
        cluster4.school_a,
        person,
        awards["LDTT"],
        status=S.RETURNED,
        return_comment="Thiếu xác nhận",
    )
    services.submit_nomination(nomination=nomination, by=rep_a)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.return_comment) == (S.SUBMITTED, "")


# --- withdraw / return -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.RETURNED])
def test_withdraw_allowed_before_publication(cluster4, awards, rep_a, person, status):
    nomination = nominate(cluster4.year, cluster4.school_a, person, awards["LDTT"], status=status)
    services.withdraw_nomination(nomination=nomination, by=rep_a, comment="Không đủ điều kiện")
    assert status_of(nomination) == S.WITHDRAWN
    assert events(nomination) == [(status, S.WITHDRAWN)]


def test_withdraw_refused_once_published(cluster4, awards, rep_a, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="published"
    )
    with pytest.raises(ValidationError) as error:
        services.withdraw_nomination(nomination=nomination, by=rep_a)
    assert error.value.code == "wrong_status"


def test_return_requires_comment_and_records_it(cluster4, awards, secretariat, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="submitted"
    )
    with pytest.raises(ValidationError):
        services.return_nomination(nomination=nomination, comment="  ", by=secretariat)
    services.return_nomination(
        nomination=nomination, comment="Bổ sung báo cáo có xác nhận", by=secretariat
    )
    nomination.refresh_from_db()
    assert (nomination.status, nomination.return_comment) == (
        S.RETURNED,
        "Bổ sung báo cáo có xác nhận",
    )
    event = NominationEvent.objects.get(nomination=nomination)
    assert (event.by, event.comment) == (secretariat, "Bổ sung báo cáo có xác nhận")


def test_return_by_representative_refused(cluster4, awards, rep_a, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="submitted"
    )
    with pytest.raises(PermissionDenied):
        services.return_nomination(nomination=nomination, comment="x", by=rep_a)


def test_return_by_other_cluster_secretariat_refused(cluster4, awards, other_cluster, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="submitted"
    )
    with pytest.raises(PermissionDenied):
        services.return_nomination(
            nomination=nomination, comment="x", by=other_cluster["secretariat"]
        )


def test_return_of_draft_refused(cluster4, awards, secretariat, person):
    nomination = nominate(cluster4.year, cluster4.school_a, person, awards["LDTT"])
    with pytest.raises(ValidationError):
        services.return_nomination(nomination=nomination, comment="x", by=secretariat)


# --- publish and comment ---------------------------------------------------------------------


def test_publish_moves_submitted_only_and_sets_window(cluster4, awards, secretariat, person):
    other = make_recipient(cluster4.school_b, "Trần Thị B")
    submitted = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="submitted"
    )
    draft = nominate(cluster4.year, cluster4.school_b, other, awards["LDTT"])
    count = services.publish_candidates(year=cluster4.year, comment_days=7, by=secretariat)
    submitted.refresh_from_db()
    assert count == 1
    assert submitted.status == S.PUBLISHED
    assert submitted.comment_until == timezone.localdate() + dt.timedelta(days=7)
    assert status_of(draft) == S.DRAFT
    assert events(submitted) == [(S.SUBMITTED, S.PUBLISHED)]


def test_publish_with_nothing_submitted_refused(cluster4, secretariat):
    with pytest.raises(ValidationError) as error:
        services.publish_candidates(year=cluster4.year, comment_days=7, by=secretariat)
    assert error.value.code == "nothing"


def test_publish_by_representative_refused(cluster4, rep_a):
    with pytest.raises(PermissionDenied):
        services.publish_candidates(year=cluster4.year, comment_days=7, by=rep_a)


def test_comment_by_member_school_on_published(cluster4, awards, rep_b, person):
    nomination = nominate(
        cluster4.year,
        cluster4.school_a,
        person,
        awards["LDTT"],
        status=S.PUBLISHED,
        comment_until=timezone.localdate(),
    )
    comment = services.add_comment(nomination=nomination, text="Đồng ý", by=rep_b)
    assert (comment.school, comment.author, comment.text) == (cluster4.school_b, rep_b, "Đồng ý")


def test_comment_after_window_refused(cluster4, awards, rep_b, person):
    nomination = nominate(
        cluster4.year,
        cluster4.school_a,
        person,
        awards["LDTT"],
        status=S.PUBLISHED,
        comment_until=timezone.localdate() - dt.timedelta(days=1),
    )
    with pytest.raises(PermissionDenied):
        services.add_comment(nomination=nomination, text="Muộn", by=rep_b)
    assert NominationComment.objects.count() == 0


def test_comment_on_submitted_refused(cluster4, awards, rep_b, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="submitted"
    )
    with pytest.raises(PermissionDenied):
        services.add_comment(nomination=nomination, text="Sớm", by=rep_b)


def test_comment_by_other_cluster_refused(cluster4, awards, other_cluster, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="published"
    )
    with pytest.raises(PermissionDenied):
        services.add_comment(nomination=nomination, text="x", by=other_cluster["secretariat"])


# --- vote result (called by the voting rounds) -----------------------------------------------


def _round(year, title="Biểu quyết đề nghị khen thưởng"):
    now = timezone.now()
    return VotingRound.objects.create(
        year=year,
        kind=RoundKind.YES_NO,
        title=title,
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now - dt.timedelta(hours=1),
        status=RoundStatus.CLOSED,
    )


def test_record_vote_result_passed_from_voted(cluster4, awards, secretariat, person):
    nomination = nominate(cluster4.year, cluster4.school_a, person, awards["LDTT"], status="voted")
    with translation.override("en"):
        services.record_vote_result(
            nomination=nomination, passed=True, round=_round(cluster4.year), by=secretariat
        )
    assert status_of(nomination) == S.APPROVED
    event = NominationEvent.objects.get(nomination=nomination)
    assert event.comment == "Passed the vote: Biểu quyết đề nghị khen thưởng"
    assert (event.from_status, event.to_status, event.by) == (S.VOTED, S.APPROVED, secretariat)


def test_record_vote_result_failed_from_published_goes_through_voted(
    cluster4, awards, secretariat, person
):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="published"
    )
    services.record_vote_result(
        nomination=nomination, passed=False, round=_round(cluster4.year), by=secretariat
    )
    assert status_of(nomination) == S.NOT_APPROVED
    assert events(nomination) == [(S.PUBLISHED, S.VOTED), (S.VOTED, S.NOT_APPROVED)]


def test_record_vote_result_without_user_for_scheduled_close(cluster4, awards, person):
    nomination = nominate(cluster4.year, cluster4.school_a, person, awards["LDTT"], status="voted")
    services.record_vote_result(
        nomination=nomination, passed=True, round=_round(cluster4.year), by=None
    )
    assert status_of(nomination) == S.APPROVED


def test_record_vote_result_on_draft_refused(cluster4, awards, secretariat, person):
    nomination = nominate(cluster4.year, cluster4.school_a, person, awards["LDTT"])
    with pytest.raises(ValidationError):
        services.record_vote_result(nomination=nomination, passed=True, round=None, by=secretariat)
    assert status_of(nomination) == S.DRAFT


def test_record_vote_result_by_representative_refused(cluster4, awards, rep_a, person):
    nomination = nominate(cluster4.year, cluster4.school_a, person, awards["LDTT"], status="voted")
    with pytest.raises(PermissionDenied):
        services.record_vote_result(nomination=nomination, passed=True, round=None, by=rep_a)


# --- forward, decide, refuse, revoke ---------------------------------------------------------


@pytest.fixture
def complete_year(cluster4, secretariat):
    """The year's submission and minutes uploaded, results frozen."""
    from evaluations.models import ScoringSettings

    for kind in (DossierKind.SUBMISSION, DossierKind.MINUTES):
        services.add_dossier_document(
            year=cluster4.year, kind=kind, file=pdf(), by=secretariat, number="12/TTr-CTĐ4"
        )
    ScoringSettings.objects.create(year=cluster4.year, stage="frozen", fingerprint="ab" * 32)
    return cluster4.year


def approved(cluster4, awards, person, *, certified=True, voted=True, published=True):
    nomination = nominate(
        cluster4.year,
        cluster4.school_a,
        person,
        awards["LDTT"],
        status=S.APPROVED,
        achievement_report_certified=certified,
    )
    if published:
        NominationEvent.objects.create(
            nomination=nomination, from_status=S.SUBMITTED, to_status=S.PUBLISHED
        )
    if voted:
        voting_round = _round(cluster4.year)
        Candidate.objects.create(round=voting_round, nomination=nomination, label="x")
    return nomination


def test_forward_complete_dossier(cluster4, awards, secretariat, person, complete_year):
    nomination = approved(cluster4, awards, person)
    services.forward_nomination(nomination=nomination, by=secretariat)
    assert status_of(nomination) == S.FORWARDED
    assert events(nomination)[-1] == (S.APPROVED, S.FORWARDED)


def test_forward_incomplete_dossier_lists_missing(cluster4, awards, secretariat, person):
    nomination = approved(cluster4, awards, person, certified=False, voted=False)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.forward_nomination(nomination=nomination, by=secretariat)
    assert [e.params["part"] for e in error.value.error_list] == [
        "Submission (tờ trình)",
        "Minutes with the ballot result",
        "Certified achievement report",
        "Score summary",
    ]
    assert status_of(nomination) == S.APPROVED


def test_forward_never_published_refused(cluster4, awards, secretariat, person, complete_year):
    nomination = approved(cluster4, awards, person, published=False)
    with pytest.raises(ValidationError) as error:
        services.forward_nomination(nomination=nomination, by=secretariat)
    assert [e.code for e in error.value.error_list] == ["never_published"]


def test_forward_from_voted_refused(cluster4, awards, secretariat, person):
    nomination = nominate(cluster4.year, cluster4.school_a, person, awards["LDTT"], status="voted")
    with pytest.raises(ValidationError):
        services.forward_nomination(nomination=nomination, by=secretariat)


def test_forward_by_observer_refused(cluster4, awards, observer, person, complete_year):
    nomination = approved(cluster4, awards, person)
    with pytest.raises(PermissionDenied):
        services.forward_nomination(nomination=nomination, by=observer)


def test_decide_creates_linked_achievement(cluster4, awards, secretariat, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="forwarded"
    )
    day = timezone.localdate()
    achievement = services.decide_nomination(
        nomination=nomination, decision_number="99/QĐ-HVCTQG", decision_date=day, by=secretariat
    )
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decision_number) == (S.DECIDED, "99/QĐ-HVCTQG")
    assert (achievement.nomination, achievement.period_year, achievement.issuer) == (
        nomination,
        2026,
        awards["LDTT"].issuer,
    )
    assert events(nomination) == [(S.FORWARDED, S.DECIDED)]


def test_decide_needs_number_and_past_date(cluster4, awards, secretariat, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="forwarded"
    )
    with pytest.raises(ValidationError) as error:
        services.decide_nomination(
            nomination=nomination,
            decision_number=" ",
            decision_date=timezone.localdate() + dt.timedelta(days=3),
            by=secretariat,
        )
    assert set(error.value.error_dict) == {"decision_number", "decision_date"}
    assert Achievement.objects.count() == 0


def test_decide_from_approved_refused(cluster4, awards, secretariat, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="approved"
    )
    with pytest.raises(ValidationError):
        services.decide_nomination(
            nomination=nomination,
            decision_number="1",
            decision_date=timezone.localdate(),
            by=secretariat,
        )


def test_refuse_records_reason(cluster4, awards, secretariat, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="forwarded"
    )
    services.refuse_nomination(nomination=nomination, reason="Chưa đủ điều kiện", by=secretariat)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.refusal_reason) == (S.REFUSED, "Chưa đủ điều kiện")


def test_revoke_marks_achievement_and_nomination(cluster4, awards, secretariat, person):
    nomination = nominate(
        cluster4.year, cluster4.school_a, person, awards["LDTT"], status="forwarded"
    )
    achievement = services.decide_nomination(
        nomination=nomination,
        decision_number="99/QĐ-HVCTQG",
        decision_date=timezone.localdate(),
        by=secretariat,
    )
    services.revoke_achievement(
        achievement=achievement,
        reason="Hồ sơ không trung thực",
        reference="5/QĐ-HVCTQG",
        by=secretariat,
    )
    achievement.refresh_from_db()
    assert achievement.is_revoked
    assert (achievement.revoke_reason, achievement.revoke_reference) == (
        "Hồ sơ không trung thực",
        "5/QĐ-HVCTQG",
    )
    assert status_of(nomination) == S.REVOKED
    assert events(nomination)[-1] == (S.DECIDED, S.REVOKED)


def test_revoke_is_irreversible(cluster4, awards, secretariat, person):
    achievement = achieve(person, awards["LDTT"], 2024, revoked=True)
    with pytest.raises(ValidationError) as error:
        services.revoke_achievement(
            achievement=achievement, reason="x", reference="y", by=secretariat
        )
    assert error.value.code == "already_revoked"


def test_revoke_needs_reason_and_reference(cluster4, awards, secretariat, person):
    achievement = achieve(person, awards["LDTT"], 2024)
    with pytest.raises(ValidationError) as error:
        services.revoke_achievement(
            achievement=achievement, reason="", reference="", by=secretariat
        )
    assert set(error.value.error_dict) == {"reason", "reference"}
    achievement.refresh_from_db()
    assert achievement.revoked_at is None


@pytest.mark.parametrize("who", ["rep_a", "observer", "other"])
def test_revoke_by_others_refused(cluster4, awards, person, who, request, other_cluster):
    user = other_cluster["secretariat"] if who == "other" else request.getfixturevalue(who)
    achievement = achieve(person, awards["LDTT"], 2024)
    with pytest.raises(PermissionDenied):
        services.revoke_achievement(achievement=achievement, reason="x", reference="y", by=user)


def test_revoke_by_admin_allowed(cluster4, awards, admin_user, person):
    achievement = achieve(person, awards["LDTT"], 2024)
    services.revoke_achievement(achievement=achievement, reason="x", reference="y", by=admin_user)
    achievement.refresh_from_db()
    assert achievement.revoked_at == timezone.localdate()


def test_dossier_document_upload_by_representative_refused(cluster4, rep_a):
    with pytest.raises(PermissionDenied):
        services.add_dossier_document(
            year=cluster4.year, kind=DossierKind.SUBMISSION, file=pdf(), by=rep_a
        )
    assert DossierDocument.objects.count() == 0


def test_full_journey_records_every_step(
    cluster4, awards, rep_a, secretariat, person, complete_year
):
    nomination = Nomination(
        year=cluster4.year,
        school=cluster4.school_a,
        recipient=person,
        award_type=awards["LDTT"],
        achievement_summary="Hoàn thành xuất sắc",
    )
    services.save_nomination(nomination=nomination, by=rep_a, achievement_report=pdf())
    services.submit_nomination(nomination=nomination, by=rep_a)
    services.publish_candidates(year=cluster4.year, comment_days=5, by=secretariat)
    voting_round = _round(cluster4.year)
    Candidate.objects.create(round=voting_round, nomination=nomination, label="x")
    services.record_vote_result(
        nomination=nomination, passed=True, round=voting_round, by=secretariat
    )
    services.certify_report(nomination=nomination, by=secretariat)
    services.forward_nomination(nomination=nomination, by=secretariat)
    services.decide_nomination(
        nomination=nomination,
        decision_number="7/QĐ-HVCTQG",
        decision_date=timezone.localdate(),
        by=secretariat,
    )
    assert [to for _, to in events(nomination)] == [
        S.DRAFT,
        S.SUBMITTED,
        S.PUBLISHED,
        S.VOTED,
        S.APPROVED,
        S.FORWARDED,
        S.DECIDED,
    ]
    assert Achievement.objects.get(nomination=nomination).decision_number == "7/QĐ-HVCTQG"
