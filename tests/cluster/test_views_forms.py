"""The secretariat's forms through the browser: what they save, and that bad input gives
a form error at the field (never a server error)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cluster.enums import LeadershipRole, PhaseKind
from cluster.models import EmulationYear, Event, Leadership, Membership, Movement, Phase, School
from tests import factories as f

D = dt.date


@pytest.fixture
def sec(client_for, secretariat):
    return client_for(secretariat)


def _errors(response, field: str) -> list[str]:
    return [e.code for e in response.context["form"].errors.as_data().get(field, [])]


# --- years ---------------------------------------------------------------------------------


def test_year_create_saves_and_redirects_to_school_year_url(sec, cluster4):
    response = sec.post(
        reverse("cluster:year_create", args=["CUM4"]),
        {
            "label": "2017-2018",
            "period_kind": "school",
            "start_date": "2017-09-01",
            "end_date": "2018-08-31",
            "theme": "Thi đua dạy tốt, học tốt",
        },
    )
    year = EmulationYear.objects.get(cluster=cluster4.cluster, label="2017–2018")
    assert response.status_code == 302
    assert response["Location"] == "/c/CUM4/2017%E2%80%932018/"
    assert year.theme == "Thi đua dạy tốt, học tốt"


def test_year_page_with_en_dash_label_opens(sec, cluster4):
    f.EmulationYearFactory(
        cluster=cluster4.cluster,
        label="2017–2018",
        start_date=D(2017, 9, 1),
        end_date=D(2018, 8, 31),
    )
    response = sec.get("/c/CUM4/2017%E2%80%932018/")
    assert response.status_code == 200
    assert response.context["year"].label == "2017–2018"


def test_year_create_duplicate_label_is_a_form_error(sec, cluster4):
    response = sec.post(
        reverse("cluster:year_create", args=["CUM4"]),
        {
            "label": "2026",
            "period_kind": "calendar",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
        },
    )
    assert response.status_code == 200
    assert _errors(response, "label") == ["duplicate_label"]
    assert EmulationYear.objects.filter(cluster=cluster4.cluster).count() == 1


def test_year_create_end_before_start_is_a_field_error(sec, cluster4):
    response = sec.post(
        reverse("cluster:year_create", args=["CUM4"]),
        {
            "label": "2027",
            "period_kind": "calendar",
            "start_date": "2027-12-31",
            "end_date": "2027-01-01",
        },
    )
    assert response.status_code == 200
    assert _errors(response, "end_date") == ["end_before_start"]


@pytest.mark.parametrize("value", ["31/02/2027", "not a date", "2027-13-01", "99999-01-01"])
def test_year_create_invalid_date_is_a_form_error(sec, cluster4, value):
    response = sec.post(
        reverse("cluster:year_create", args=["CUM4"]),
        {"label": "2027", "period_kind": "calendar", "start_date": value, "end_date": "2027-12-31"},
    )
    assert response.status_code == 200
    assert _errors(response, "start_date") == ["invalid"]


def test_year_create_keeps_what_was_typed(sec, cluster4):
    response = sec.post(
        reverse("cluster:year_create", args=["CUM4"]),
        {
            "label": "2026",
            "period_kind": "calendar",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "theme": "Chủ đề đã gõ",
        },
    )
    assert "Chủ đề đã gõ" in response.content.decode()


def test_year_edit_renames_label(sec, cluster4):
    response = sec.post(
        reverse("cluster:year_edit", args=["CUM4", "2026"]),
        {
            "label": "2026",
            "period_kind": "calendar",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "theme": "Chủ đề mới",
        },
    )
    assert response.status_code == 302
    cluster4.year.refresh_from_db()
    assert cluster4.year.theme == "Chủ đề mới"


def test_year_edit_with_invalid_label_keeps_page_working(sec, cluster4):
    response = sec.post(
        reverse("cluster:year_edit", args=["CUM4", "2026"]),
        {
            "label": "x/y",
            "period_kind": "calendar",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
        },
    )
    assert response.status_code == 200
    assert _errors(response, "label") == ["label_format"]


# --- phases --------------------------------------------------------------------------------


def test_phase_create_saves(sec, cluster4):
    response = sec.post(
        reverse("cluster:phase_create", args=["CUM4", "2026"]),
        {
            "kind": PhaseKind.MIDYEAR,
            "starts_on": "2026-07-01",
            "deadline": "2026-07-20",
            "hard_deadline": "2026-07-31",
            "note": "Sơ kết",
        },
    )
    assert response.status_code == 302
    phase = cluster4.year.phases.get(kind=PhaseKind.MIDYEAR)
    assert (phase.deadline, phase.hard_deadline) == (D(2026, 7, 20), D(2026, 7, 31))


def test_phase_create_deadline_before_start_is_a_field_error(sec, cluster4):
    response = sec.post(
        reverse("cluster:phase_create", args=["CUM4", "2026"]),
        {"kind": PhaseKind.MIDYEAR, "starts_on": "2026-07-01", "deadline": "2026-06-20"},
    )
    assert response.status_code == 200
    assert _errors(response, "deadline") == ["deadline_before_start"]


def test_phase_create_final_before_deadline_is_a_field_error(sec, cluster4):
    response = sec.post(
        reverse("cluster:phase_create", args=["CUM4", "2026"]),
        {
            "kind": PhaseKind.MIDYEAR,
            "starts_on": "2026-07-01",
            "deadline": "2026-07-20",
            "hard_deadline": "2026-07-10",
        },
    )
    assert _errors(response, "hard_deadline") == ["final_before_deadline"]


def test_phase_create_duplicate_kind_is_a_field_error(sec, cluster4):
    response = sec.post(
        reverse("cluster:phase_create", args=["CUM4", "2026"]),
        {"kind": PhaseKind.PLEDGE, "starts_on": "2026-02-01", "deadline": "2026-02-20"},
    )
    assert _errors(response, "kind") == ["duplicate_phase"]


def test_phase_edit_changes_dates(sec, cluster4):
    phase = cluster4.year.phases.get(kind=PhaseKind.PLEDGE)
    sec.post(
        reverse("cluster:phase_edit", args=["CUM4", "2026", phase.pk]),
        {"kind": PhaseKind.PLEDGE, "starts_on": "2026-01-20", "deadline": "2026-03-20"},
    )
    phase.refresh_from_db()
    assert phase.deadline == D(2026, 3, 20)


def test_phase_of_another_year_is_404(sec, cluster4, other_cluster):
    other_year = EmulationYear.objects.get(cluster=other_cluster["cluster"])
    phase = f.PhaseFactory(year=other_year)
    url = reverse("cluster:phase_edit", args=["CUM4", "2026", phase.pk])
    assert sec.get(url).status_code == 404


def test_phase_delete_removes_it(sec, cluster4):
    phase = cluster4.year.phases.get(kind=PhaseKind.PLEDGE)
    sec.post(reverse("cluster:phase_delete", args=["CUM4", "2026", phase.pk]))
    assert not Phase.objects.filter(pk=phase.pk).exists()


# --- leadership ----------------------------------------------------------------------------


def test_leadership_form_saves_head_deputies_and_decision(sec, cluster4):
    w = cluster4
    response = sec.post(
        reverse("cluster:year_leadership", args=["CUM4", "2026"]),
        {
            "head": w.school_c.pk,
            "deputies": [w.school_a.pk, w.school_b.pk],
            "decision_number": "45/QĐ-HVCTQG",
            "decision_date": "2026-02-01",
        },
    )
    assert response.status_code == 302
    assert sorted(Leadership.objects.filter(year=w.year).values_list("role", "school__code")) == [
        ("deputy", "SCA"),
        ("deputy", "SCB"),
        ("head", "SCC"),
    ]
    page = sec.get(reverse("cluster:year", args=["CUM4", "2026"])).content.decode()
    assert "45/QĐ-HVCTQG" in page
    assert "01/02/2026" in page


def test_leadership_form_refuses_head_two_years_running(sec, cluster4):
    w = cluster4
    y2025 = f.EmulationYearFactory(cluster=w.cluster, label="2025")
    f.LeadershipFactory(year=y2025, school=w.school_c, role=LeadershipRole.HEAD)
    response = sec.post(
        reverse("cluster:year_leadership", args=["CUM4", "2026"]),
        {"head": w.school_c.pk, "deputies": [w.school_a.pk]},
    )
    assert response.status_code == 200
    assert _errors(response, "head") == ["head_two_years"]
    assert "2025" in response.content.decode()


def test_leadership_form_refuses_same_school_head_and_deputy(sec, cluster4):
    w = cluster4
    response = sec.post(
        reverse("cluster:year_leadership", args=["CUM4", "2026"]),
        {"head": w.school_a.pk, "deputies": [w.school_a.pk]},
    )
    assert _errors(response, "deputies") == ["head_is_deputy"]


def test_leadership_form_offers_only_members_of_the_year(sec, cluster4, other_cluster):
    response = sec.get(reverse("cluster:year_leadership", args=["CUM4", "2026"]))
    choices = list(response.context["form"].fields["head"].queryset.values_list("code", flat=True))
    assert sorted(choices) == ["SCA", "SCB", "SCC"]


def test_leadership_form_ignores_forged_school_id(sec, cluster4, other_cluster):
    response = sec.post(
        reverse("cluster:year_leadership", args=["CUM4", "2026"]),
        {"head": other_cluster["school"].pk},
    )
    assert _errors(response, "head") == ["invalid_choice"]


# --- members -------------------------------------------------------------------------------


def test_member_add_existing_school(sec, cluster4):
    newcomer = f.SchoolFactory(code="QNI", name="Trường Chính trị tỉnh Quảng Ninh")
    response = sec.post(
        reverse("cluster:member_add", args=["CUM4"]),
        {"mode": "existing", "school": newcomer.pk, "start_date": "2026-03-01"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(school=newcomer).start_date == D(2026, 3, 1)


def test_member_add_new_school(sec, cluster4):
    response = sec.post(
        reverse("cluster:member_add", args=["CUM4"]),
        {
            "mode": "new",
            "new_code": "vph",
            "new_name": "Trường Chính trị tỉnh Vĩnh Phúc",
            "new_province": "Vĩnh Phúc",
            "start_date": "2022-01-01",
        },
    )
    assert response.status_code == 302
    school = School.objects.get(code="VPH")
    assert school.memberships.get().cluster == cluster4.cluster


def test_member_add_new_school_needs_name(sec, cluster4):
    response = sec.post(
        reverse("cluster:member_add", args=["CUM4"]),
        {"mode": "new", "new_code": "VPH", "start_date": "2022-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("new_name")
    assert not School.objects.filter(code="VPH").exists()


def test_member_add_new_school_bad_code(sec, cluster4):
    response = sec.post(
        reverse("cluster:member_add", args=["CUM4"]),
        {
            "mode": "new",
            "new_code": "V P/H",
            "new_name": "X",
            "new_province": "Y",
            "start_date": "2022-01-01",
        },
    )
    assert response.context["form"].has_error("new_code")


def test_member_add_existing_code_for_new_school(sec, cluster4):
    response = sec.post(
        reverse("cluster:member_add", args=["CUM4"]),
        {
            "mode": "new",
            "new_code": "SCA",
            "new_name": "X",
            "new_province": "Y",
            "start_date": "2022-01-01",
        },
    )
    assert response.context["form"].has_error("new_code")


def test_member_add_without_school_is_a_form_error(sec, cluster4):
    response = sec.post(
        reverse("cluster:member_add", args=["CUM4"]), {"mode": "existing", "start_date": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("school")
    assert response.context["form"].has_error("start_date")


def test_member_end_sets_last_day(sec, cluster4):
    membership = cluster4.cluster.memberships.get(school=cluster4.school_c)
    response = sec.post(
        reverse("cluster:member_end", args=["CUM4", membership.pk]), {"end_date": "2026-06-30"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == D(2026, 6, 30)


def test_member_end_before_start_is_a_field_error(sec, cluster4):
    membership = cluster4.cluster.memberships.get(school=cluster4.school_c)
    response = sec.post(
        reverse("cluster:member_end", args=["CUM4", membership.pk]), {"end_date": "2010-01-01"}
    )
    assert response.status_code == 200
    assert _errors(response, "end_date") == ["end_before_start"]


def test_member_end_page_asks_for_confirmation(sec, cluster4):
    membership = cluster4.cluster.memberships.get(school=cluster4.school_c)
    html = sec.get(reverse("cluster:member_end", args=["CUM4", membership.pk])).content.decode()
    assert "data-confirm=" in html
    assert "Trường Chính trị tỉnh C" in html


def test_merger_form_records_merger(sec, cluster4):
    w = cluster4
    response = sec.post(
        reverse("cluster:merger", args=["CUM4"]),
        {
            "predecessors": [w.school_b.pk, w.school_c.pk],
            "mode": "existing",
            "school": w.school_a.pk,
            "effective_date": "2025-07-01",
        },
    )
    assert response.status_code == 302
    assert sorted(w.school_a.merged_from.values_list("predecessor__code", flat=True)) == [
        "SCB",
        "SCC",
    ]


def test_merger_form_into_itself_is_a_form_error(sec, cluster4):
    w = cluster4
    response = sec.post(
        reverse("cluster:merger", args=["CUM4"]),
        {
            "predecessors": [w.school_a.pk, w.school_b.pk],
            "mode": "existing",
            "school": w.school_a.pk,
            "effective_date": "2025-07-01",
        },
    )
    assert response.status_code == 200
    assert _errors(response, "predecessors") == ["into_itself"]
    assert not w.school_b.memberships.exclude(end_date=None).exists()


def test_merger_form_with_new_successor(sec, cluster4):
    w = cluster4
    response = sec.post(
        reverse("cluster:merger", args=["CUM4"]),
        {
            "predecessors": [w.school_b.pk, w.school_c.pk],
            "mode": "new",
            "new_code": "SBC",
            "new_name": "Trường Chính trị tỉnh BC",
            "new_province": "Tỉnh BC",
            "effective_date": "2025-07-01",
        },
    )
    assert response.status_code == 302
    assert School.objects.get(code="SBC").memberships.get().start_date == D(2025, 7, 1)


# --- school profile ------------------------------------------------------------------------


def test_rep_edits_own_school_profile(client_for, rep_a, cluster4):
    response = client_for(rep_a).post(
        reverse("cluster:school_edit", args=["SCA"]),
        {
            "name": "Trường Chính trị tỉnh A",
            "province": "Tỉnh A",
            "rector": "PGS.TS Nguyễn Văn A",
            "phone": "0220 3888 999",
            "email": "sca@truong.example.vn",
            "website": "https://sca.example.vn",
            "address": "",
            "description": "",
        },
    )
    assert response.status_code == 302
    cluster4.school_a.refresh_from_db()
    assert cluster4.school_a.rector == "PGS.TS Nguyễn Văn A"


def test_school_edit_bad_email_is_a_field_error(client_for, rep_a, cluster4):
    response = client_for(rep_a).post(
        reverse("cluster:school_edit", args=["SCA"]),
        {"name": "A", "province": "A", "email": "not-an-email"},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("email")


# --- movements and events ----------------------------------------------------------------------


def test_movement_create_saves(sec, cluster4):
    response = sec.post(
        reverse("cluster:movement_create", args=["CUM4"]),
        {
            "title": "Cán bộ trường Đảng kiểu mẫu",
            "slogan": "Gương mẫu – Sáng tạo",
            "start_date": "2019-01-01",
            "end_date": "2025-12-31",
            "launched_by": "Học viện Chính trị quốc gia Hồ Chí Minh",
            "launching_school": cluster4.school_a.pk,
        },
    )
    movement = Movement.objects.get(title="Cán bộ trường Đảng kiểu mẫu")
    assert response.status_code == 302
    assert (movement.cluster, movement.launching_school) == (cluster4.cluster, cluster4.school_a)


def test_movement_end_before_start_is_a_field_error(sec, cluster4):
    response = sec.post(
        reverse("cluster:movement_create", args=["CUM4"]),
        {"title": "X", "start_date": "2025-01-01", "end_date": "2024-01-01"},
    )
    assert response.status_code == 200
    assert _errors(response, "end_date") == ["end_before_start"]


def test_movement_launching_school_of_other_cluster_refused(sec, cluster4, other_cluster):
    response = sec.post(
        reverse("cluster:movement_create", args=["CUM4"]),
        {"title": "X", "start_date": "2025-01-01", "launching_school": other_cluster["school"].pk},
    )
    assert _errors(response, "launching_school") == ["invalid_choice"]


def test_event_create_assigns_year_from_date(sec, cluster4):
    response = sec.post(
        reverse("cluster:event_create", args=["CUM4"]),
        {
            "kind": "model_lesson",
            "title": "Thao giảng cụm",
            "date": "2026-04-10",
            "host_school": cluster4.school_c.pk,
        },
    )
    event = Event.objects.get(title="Thao giảng cụm")
    assert response.status_code == 302
    assert (event.year, event.host_school) == (cluster4.year, cluster4.school_c)


def test_event_date_outside_chosen_year_is_a_field_error(sec, cluster4):
    response = sec.post(
        reverse("cluster:event_create", args=["CUM4"]),
        {"kind": "conference", "title": "Hội nghị", "date": "2019-11-20", "year": cluster4.year.pk},
    )
    assert response.status_code == 200
    assert _errors(response, "date") == ["outside_year"]


def test_event_title_too_long_is_a_field_error(sec, cluster4):
    response = sec.post(
        reverse("cluster:event_create", args=["CUM4"]),
        {"kind": "conference", "title": "x" * 301, "date": "2026-11-20"},
    )
    assert _errors(response, "title") == ["max_length"]


def test_event_unknown_kind_is_a_field_error(sec, cluster4):
    response = sec.post(
        reverse("cluster:event_create", args=["CUM4"]),
        {"kind": "party", "title": "x", "date": "2026-11-20"},
    )
    assert _errors(response, "kind") == ["invalid_choice"]


def test_leadership_form_out_of_range_id_is_a_form_error(sec, cluster4):
    response = sec.post(
        reverse("cluster:year_leadership", args=["CUM4", "2026"]),
        {"head": "99999999999999999999999", "deputies": ["99999999999999999999999"]},
    )
    assert _errors(response, "head") == ["invalid_choice"]


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01", "0001-12-31"), ("9999-01-01", "9999-12-31")]
)
def test_year_with_extreme_dates_is_a_form_error(sec, cluster4, start, end):
    response = sec.post(
        reverse("cluster:year_create", args=["CUM4"]),
        {"label": "2030", "period_kind": "calendar", "start_date": start, "end_date": end},
    )
    assert response.status_code == 200
    assert _errors(response, "start_date") == ["out_of_range"]


def test_phase_in_year_with_extreme_dates_does_not_fail(sec, cluster4):
    f.EmulationYearFactory(
        cluster=cluster4.cluster, label="9999", start_date=D(9999, 1, 1), end_date=D(9999, 12, 31)
    )
    response = sec.post(
        reverse("cluster:phase_create", args=["CUM4", "9999"]),
        {"kind": PhaseKind.MIDYEAR, "starts_on": "9999-12-01", "deadline": "9999-12-31"},
    )
    assert response.status_code == 302
