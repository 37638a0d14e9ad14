"""Annual report services: drafts keep every valid value, submission checks completeness
and deadlines, the secretariat returns or accepts, every version stays in the history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cluster.enums import PhaseKind
from evaluations.enums import SubmissionStatus
from evaluations.models import (
    AnnualReport,
    BonusClaim,
    DeclaredDeduction,
    Evidence,
    Extension,
    IndicatorResult,
    ReportEvent,
    SelfScore,
)
from evaluations.selectors_reports import (
    percent_achieved,
    report_history,
    report_missing_items,
)
from evaluations.services import reports as services
from tests.evaluations.test_report_support import (
    build_world,
    complete_data,
    pdf_bytes,
    scores_data,
    upload,
)


@pytest.fixture
def world(cluster4, settings, tmp_path):
    return build_world(cluster4, settings, tmp_path)


ON_TIME = dt.date(2026, 10, 20)
LATE = dt.date(2026, 11, 5)
TOO_LATE = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _attach(report, criterion, rep):
    return services.add_evidence(
        report=report,
        by=rep,
        uploaded_file=upload("minh-chung.pdf", pdf_bytes()),
        criterion=criterion,
    )


def _ready(world, rep_a, **fields):
    """A's report with everything a submission needs."""
    report = world.report_of(world.school_a, **fields)
    assert (
        services.save_report_draft(report=report, by=rep_a, data=complete_data(world.criteria))
        == {}
    )
    _attach(report, world.criteria[2], rep_a)
    return report


# --- drafts ---------------------------------------------------------------------------------


def test_get_or_create_report_creates_one_draft(world, rep_a):
    first = services.get_or_create_report(year=world.year, school=world.school_a, by=rep_a)
    again = services.get_or_create_report(year=world.year, school=world.school_a, by=rep_a)
    assert first.pk == again.pk
    assert first.status == SubmissionStatus.DRAFT
    assert AnnualReport.objects.count() == 1


def test_save_draft_keeps_valid_scores_and_reports_invalid_one(world, rep_a):
    report = world.report_of(world.school_a)
    c11, c12, c21, _ = world.criteria
    errors = services.save_report_draft(
        report=report,
        by=rep_a,
        data={
            f"score-{c11.pk}": "12",
            f"explanation-{c11.pk}": "Vượt mức",
            f"score-{c12.pk}": "7.5",
            f"score-{c21.pk}": "6,25",
            "results": "Kết quả nổi bật",
        },
    )
    assert errors == {f"score-{c11.pk}": "Must be between 0 and 10."}
    scores = {s.criterion.code: (s.points, s.explanation) for s in SelfScore.objects.all()}
    # The refused score is not stored, but its explanation is.
    assert scores == {
        "1.1": (None, "Vượt mức"),
        "1.2": (Decimal("7.50"), ""),
        "2.1": (Decimal("6.25"), ""),
    }
    report.refresh_from_db()
    assert report.results == "Kết quả nổi bật"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("7.555", "Use at most two decimals."),
        ("abc", "Enter a number, such as 7.5."),
        ("-1", "Must be between 0 and 10."),
        ("1.000,5", "Enter a number, such as 7.5."),
    ],
)
def test_save_draft_refuses_bad_scores(world, rep_a, raw, message):
    report = world.report_of(world.school_a)
    criterion = world.criteria[0]
    errors = services.save_report_draft(
        report=report, by=rep_a, data={f"score-{criterion.pk}": raw}
    )
    assert errors == {f"score-{criterion.pk}": message}
    assert not SelfScore.objects.exists()


def test_save_draft_leaves_absent_fields_unchanged(world, rep_a):
    report = world.report_of(world.school_a, results="Giữ nguyên")
    c11, c12 = world.criteria[:2]
    services.save_report_draft(report=report, by=rep_a, data=scores_data([c11, c12], "5"))
    services.save_report_draft(report=report, by=rep_a, data={f"score-{c12.pk}": "9"})
    report.refresh_from_db()
    assert report.results == "Giữ nguyên"
    points = dict(SelfScore.objects.values_list("criterion__code", "points"))
    assert points == {"1.1": Decimal("5.00"), "1.2": Decimal("9.00")}


def test_save_draft_clears_a_score_left_empty(world, rep_a):
    report = world.report_of(world.school_a)
    criterion = world.criteria[0]
    services.save_report_draft(report=report, by=rep_a, data={f"score-{criterion.pk}": "5"})
    services.save_report_draft(report=report, by=rep_a, data={f"score-{criterion.pk}": ""})
    assert SelfScore.objects.get().points is None


def test_save_draft_records_history_with_the_user(world, rep_a):
    report = world.report_of(world.school_a)
    criterion = world.criteria[0]
    services.save_report_draft(report=report, by=rep_a, data={f"score-{criterion.pk}": "5"})
    services.save_report_draft(report=report, by=rep_a, data={f"score-{criterion.pk}": "6"})
    history = SelfScore.history.order_by("history_date", "history_id")
    assert [(h.history_type, h.points, h.history_user_id) for h in history] == [
        ("+", Decimal("5.00"), rep_a.pk),
        ("~", Decimal("6.00"), rep_a.pk),
    ]


def test_save_draft_normalises_line_endings_so_unchanged_text_is_no_change(world, rep_a):
    report = world.report_of(world.school_a)
    services.save_report_draft(report=report, by=rep_a, data={"results": "a\r\nb"})
    count = report.history.count()
    services.save_report_draft(report=report, by=rep_a, data={"results": "a\r\nb"})
    report.refresh_from_db()
    assert report.results == "a\nb"
    assert report.history.count() == count


def test_save_draft_stores_indicator_actuals(world, rep_a):
    report = world.report_of(world.school_a)
    first, second = world.indicators
    errors = services.save_report_draft(
        report=report,
        by=rep_a,
        data={f"actual-{first.pk}": "19", f"actual-{second.pk}": "-3"},
    )
    assert errors == {f"actual-{second.pk}": "Must not be negative."}
    assert list(IndicatorResult.objects.values_list("indicator__code", "actual")) == [
        ("I1", Decimal("19.00"))
    ]


def test_percent_achieved_rounds_half_up_and_needs_a_target():
    assert percent_achieved(Decimal("19"), Decimal("20")) == Decimal("95.0")
    assert percent_achieved(Decimal("1"), Decimal("3")) == Decimal("33.3")
    assert percent_achieved(Decimal("2"), Decimal("3")) == Decimal("66.7")
    assert percent_achieved(Decimal("5"), None) is None
    assert percent_achieved(Decimal("5"), Decimal("0")) is None
    assert percent_achieved(None, Decimal("5")) is None


def test_save_draft_adds_changes_and_deletes_bonus_claims(world, rep_a):
    report = world.report_of(world.school_a)
    errors = services.save_report_draft(
        report=report,
        by=rep_a,
        data={
            "bonus-new-0-points": "2",
            "bonus-new-0-reason": "Đăng cai hội thảo cụm",
            "bonus-new-1-points": "",
            "bonus-new-1-reason": "",
        },
    )
    assert errors == {}
    claim = BonusClaim.objects.get()
    assert (claim.points, claim.reason) == (Decimal("2.00"), "Đăng cai hội thảo cụm")
    services.save_report_draft(
        report=report,
        by=rep_a,
        data={f"bonus-{claim.pk}-points": "3", f"bonus-{claim.pk}-reason": "Đăng cai"},
    )
    claim.refresh_from_db()
    assert claim.points == Decimal("3.00")
    services.save_report_draft(
        report=report,
        by=rep_a,
        data={
            f"bonus-{claim.pk}-points": "3",
            f"bonus-{claim.pk}-reason": "Đăng cai",
            f"bonus-{claim.pk}-delete": "1",
        },
    )
    assert not BonusClaim.objects.exists()


def test_save_draft_refuses_bonus_over_the_cap_or_without_reason(world, rep_a):
    report = world.report_of(world.school_a)
    errors = services.save_report_draft(
        report=report,
        by=rep_a,
        data={"bonus-new-0-points": "6", "bonus-new-0-reason": "Nhiều thành tích"},
    )
    assert errors == {"bonus-new-0-points": "Must be at most 5."}
    errors = services.save_report_draft(
        report=report, by=rep_a, data={"bonus-new-0-points": "1", "bonus-new-0-reason": " "}
    )
    assert errors == {"bonus-new-0-reason": "Give the reason for the bonus."}
    assert not BonusClaim.objects.exists()


def test_save_draft_ignores_another_reports_rows(world, rep_a):
    other = world.report_of(world.school_b)
    claim = BonusClaim.objects.create(report=other, points=Decimal("1"), reason="B")
    report = world.report_of(world.school_a)
    services.save_report_draft(report=report, by=rep_a, data={f"bonus-{claim.pk}-delete": "1"})
    assert BonusClaim.objects.filter(pk=claim.pk).exists()


def test_save_draft_declares_a_deduction_with_the_reasons_points_by_default(world, rep_a):
    report = world.report_of(world.school_a)
    errors = services.save_report_draft(
        report=report,
        by=rep_a,
        data={
            "deduction-new-0-reason": str(world.reason.pk),
            "deduction-new-0-points": "",
            "deduction-new-0-explanation": "Nộp chậm 2 ngày",
        },
    )
    assert errors == {}
    deduction = DeclaredDeduction.objects.get()
    assert (deduction.reason, deduction.points, deduction.explanation) == (
        world.reason,
        Decimal("1.00"),
        "Nộp chậm 2 ngày",
    )


def test_save_draft_refuses_a_deduction_without_a_listed_reason(world, rep_a):
    report = world.report_of(world.school_a)
    errors = services.save_report_draft(
        report=report,
        by=rep_a,
        data={"deduction-new-0-reason": "999999", "deduction-new-0-points": "1"},
    )
    assert errors == {"deduction-new-0-reason": "Choose a reason from the list."}
    assert not DeclaredDeduction.objects.exists()


@pytest.mark.parametrize("status", [SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED])
def test_save_draft_refuses_a_submitted_report(world, rep_a, status):
    report = world.report_of(world.school_a, status=status)
    with pytest.raises(ValidationError):
        services.save_report_draft(report=report, by=rep_a, data={"results": "x"})
    report.refresh_from_db()
    assert report.results == ""


# --- submission -----------------------------------------------------------------------------


def test_missing_items_lists_every_gap_in_table_order(world, rep_a):
    report = world.report_of(world.school_a)
    c11 = world.criteria[0]
    services.save_report_draft(report=report, by=rep_a, data={f"score-{c11.pk}": "5"})
    assert report_missing_items(report) == [
        "section “results achieved”: not written",
        "criterion 1.2: no score",
        "criterion 2.1: no score",
        "criterion 2.1: evidence required",
        "criterion 2.2: no score",
    ]


def test_missing_items_without_a_criteria_table(cluster4):
    report = AnnualReport.objects.create(year=cluster4.year, school=cluster4.school_a)
    assert report_missing_items(report) == ["The criteria table of this year is not set up yet."]


def test_submit_refuses_an_incomplete_report_and_lists_what_is_missing(world, rep_a):
    report = world.report_of(world.school_a)
    services.save_report_draft(report=report, by=rep_a, data=complete_data(world.criteria[:2]))
    with pytest.raises(ValidationError) as raised:
        services.submit_report(report=report, by=rep_a, today=ON_TIME)
    assert raised.value.messages == [
        "criterion 2.1: no score",
        "criterion 2.1: evidence required",
        "criterion 2.2: no score",
    ]
    report.refresh_from_db()
    assert (report.status, report.version) == (SubmissionStatus.DRAFT, 0)


def test_submit_on_time_sets_status_version_and_submitter(world, rep_a):
    report = _ready(world, rep_a)
    services.submit_report(report=report, by=rep_a, today=ON_TIME)
    report.refresh_from_db()
    assert report.status == SubmissionStatus.SUBMITTED
    assert report.version == 1
    assert report.submitted_by == rep_a
    assert report.submitted_at is not None
    assert report.is_late is False


def test_submit_after_the_deadline_marks_late(world, rep_a):
    report = _ready(world, rep_a)
    services.submit_report(report=report, by=rep_a, today=LATE)
    report.refresh_from_db()
    assert (report.status, report.is_late) == (SubmissionStatus.SUBMITTED, True)
    assert ReportEvent.objects.get().is_late is True


def test_submit_after_the_final_deadline_is_refused(world, rep_a):
    report = _ready(world, rep_a)
    with pytest.raises(ValidationError) as raised:
        services.submit_report(report=report, by=rep_a, today=TOO_LATE)
    assert raised.value.messages == [
        "The final deadline (10/11/2026) has passed: ask the secretariat for an extension."
    ]
    report.refresh_from_db()
    assert report.status == SubmissionStatus.DRAFT


def test_submit_with_an_extension_after_the_final_deadline_is_on_time(world, rep_a, secretariat):
    Extension.objects.create(
        year=world.year,
        school=world.school_a,
        phase_kind=PhaseKind.REPORT,
        until=dt.date(2026, 11, 25),
        reason="Lũ lụt",
        granted_by=secretariat,
    )
    report = _ready(world, rep_a)
    services.submit_report(report=report, by=rep_a, today=TOO_LATE)
    report.refresh_from_db()
    assert (report.status, report.is_late) == (SubmissionStatus.SUBMITTED, False)


def test_submit_after_an_extension_ended_is_refused(world, rep_a, secretariat):
    Extension.objects.create(
        year=world.year,
        school=world.school_a,
        phase_kind=PhaseKind.REPORT,
        until=dt.date(2026, 11, 15),
        reason="Lũ lụt",
    )
    report = _ready(world, rep_a)
    with pytest.raises(ValidationError) as raised:
        services.submit_report(report=report, by=rep_a, today=TOO_LATE)
    assert "15/11/2026" in raised.value.messages[0]


def test_submit_an_already_submitted_report_is_refused(world, rep_a):
    report = _ready(world, rep_a)
    services.submit_report(report=report, by=rep_a, today=ON_TIME)
    with pytest.raises(ValidationError):
        services.submit_report(report=report, by=rep_a, today=ON_TIME)
    assert ReportEvent.objects.count() == 1


def test_submit_requires_a_score_within_the_current_maximum(world, rep_a):
    report = _ready(world, rep_a)
    criterion = world.criteria[0]
    criterion.max_points = Decimal("5")
    criterion.save()
    with pytest.raises(ValidationError) as raised:
        services.submit_report(report=report, by=rep_a, today=ON_TIME)
    assert raised.value.messages == ["criterion 1.1: the score must be between 0 and 5"]


# --- return, accept, resubmission -----------------------------------------------------------


def test_return_requires_a_comment(world, rep_a, secretariat):
    report = _ready(world, rep_a)
    services.submit_report(report=report, by=rep_a, today=ON_TIME)
    with pytest.raises(ValidationError) as raised:
        services.return_report(report=report, by=secretariat, comment="  ")
    assert raised.value.message_dict == {"comment": ["Say what the school must change."]}
    report.refresh_from_db()
    assert report.status == SubmissionStatus.SUBMITTED


def test_return_a_draft_is_refused(world, secretariat):
    report = world.report_of(world.school_a)
    with pytest.raises(ValidationError):
        services.return_report(report=report, by=secretariat, comment="Thiếu minh chứng")


def test_return_reopens_the_report_with_the_comment(world, rep_a, secretariat):
    report = _ready(world, rep_a)
    services.submit_report(report=report, by=rep_a, today=ON_TIME)
    services.return_report(report=report, by=secretariat, comment="Bổ sung minh chứng 1.2")
    report.refresh_from_db()
    assert report.status == SubmissionStatus.RETURNED
    assert (report.return_comment, report.returned_by) == ("Bổ sung minh chứng 1.2", secretariat)
    # The school can change it again.
    errors = services.save_report_draft(report=report, by=rep_a, data={"lessons": "Bài học"})
    assert errors == {}


def test_resubmission_after_return_keeps_lateness_and_is_not_refused(world, rep_a, secretariat):
    report = _ready(world, rep_a)
    services.submit_report(report=report, by=rep_a, today=ON_TIME)
    services.return_report(report=report, by=secretariat, comment="Sửa mục 1.2")
    services.submit_report(report=report, by=rep_a, today=TOO_LATE)
    report.refresh_from_db()
    assert (report.status, report.version, report.is_late) == (
        SubmissionStatus.SUBMITTED,
        2,
        False,
    )


def test_accept_a_submitted_report(world, rep_a, secretariat):
    report = _ready(world, rep_a)
    services.submit_report(report=report, by=rep_a, today=ON_TIME)
    services.accept_report(report=report, by=secretariat)
    report.refresh_from_db()
    assert report.status == SubmissionStatus.ACCEPTED
    with pytest.raises(ValidationError):
        services.return_report(report=report, by=secretariat, comment="Muộn rồi")


def test_history_keeps_every_version_and_what_changed(world, rep_a, secretariat):
    report = _ready(world, rep_a)
    c12 = world.criteria[1]
    services.submit_report(report=report, by=rep_a, today=ON_TIME)
    services.return_report(report=report, by=secretariat, comment="Sửa điểm 1.2")
    services.save_report_draft(
        report=report,
        by=rep_a,
        data={f"score-{c12.pk}": "6.5", "results": "Kết quả đã sửa"},
    )
    services.submit_report(report=report, by=rep_a, today=ON_TIME)

    entries = report_history(list(report.events.select_related("by")))
    assert [(e.event.kind, e.event.version, e.event.by) for e in entries] == [
        ("submitted", 2, rep_a),
        ("returned", 1, secretariat),
        ("submitted", 1, rep_a),
    ]
    assert entries[1].event.comment == "Sửa điểm 1.2"
    assert entries[2].changes is None
    assert [(c.label, c.old, c.new) for c in entries[0].changes] == [
        ("Results achieved", "Hoàn thành xuất sắc nhiệm vụ năm.", "Kết quả đã sửa"),
        ("Criterion 1.2: self-score", "8", "6.5"),
    ]


def test_history_shows_evidence_changes(world, rep_a, secretariat):
    report = _ready(world, rep_a)
    services.submit_report(report=report, by=rep_a, today=ON_TIME)
    services.return_report(report=report, by=secretariat, comment="Thêm minh chứng 1.1")
    services.add_evidence(
        report=report,
        by=rep_a,
        uploaded_file=upload("quyet-dinh.pdf", pdf_bytes()),
        criterion=world.criteria[0],
    )
    services.submit_report(report=report, by=rep_a, today=ON_TIME)
    latest = report_history(list(report.events.all()))[0]
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("Criterion 1.1: evidence", "", "quyet-dinh.pdf")
    ]


def test_snapshot_keeps_what_was_submitted(world, rep_a):
    report = _ready(world, rep_a)
    services.submit_report(report=report, by=rep_a, today=ON_TIME)
    snapshot = ReportEvent.objects.get().snapshot
    assert snapshot["scores"]["1.1"] == {
        "title": "Tiêu chí 1.1",
        "points": "8",
        "explanation": "Đã thực hiện 1.1",
    }
    assert snapshot["evidence"] == {"2.1": ["minh-chung.pdf"]}
    assert snapshot["sections"]["results"] == "Hoàn thành xuất sắc nhiệm vụ năm."


# --- evidence while the report is open ------------------------------------------------------


def test_evidence_cannot_be_added_or_removed_once_submitted(world, rep_a):
    report = _ready(world, rep_a)
    services.submit_report(report=report, by=rep_a, today=ON_TIME)
    with pytest.raises(ValidationError):
        _attach(report, world.criteria[0], rep_a)
    with pytest.raises(ValidationError):
        services.remove_evidence(evidence=Evidence.objects.get(), by=rep_a)
    assert Evidence.objects.count() == 1


def test_evidence_on_a_group_is_refused(world, rep_a):
    report = world.report_of(world.school_a)
    group = world.criteria[0].parent
    with pytest.raises(ValidationError) as raised:
        _attach(report, group, rep_a)
    assert "criterion" in raised.value.message_dict
