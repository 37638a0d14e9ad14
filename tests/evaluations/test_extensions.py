"""Deadline extensions: the secretariat grants, edits and revokes them; each change is
logged; a school with an extension may submit after the final deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cluster.enums import PhaseKind
from evaluations.deadlines import judge_submission
from evaluations.models import Extension
from evaluations.services import extensions as services
from tests import factories as f

UNTIL = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _grant(cluster4, secretariat, **kwargs):
    values = {
        "year": cluster4.year,
        "school": cluster4.school_a,
        "phase_kind": PhaseKind.REPORT,
        "until": UNTIL,
        "reason": "Ảnh hưởng bão số 3",
        "by": secretariat,
    }
    values.update(kwargs)
    return services.grant_extension(**values)


# --- services -------------------------------------------------------------------------------


def test_grant_creates_and_logs_who(cluster4, secretariat):
    extension = _grant(cluster4, secretariat)
    assert (extension.until, extension.granted_by) == (UNTIL, secretariat)
    record = Extension.history.get()
    assert (record.history_type, record.history_user) == ("+", secretariat)


def test_grant_again_changes_the_same_extension(cluster4, secretariat):
    first = _grant(cluster4, secretariat)
    second = _grant(cluster4, secretariat, until=dt.date(2026, 11, 30), reason="Gia hạn thêm")
    assert first.pk == second.pk
    assert Extension.objects.get().until == dt.date(2026, 11, 30)
    assert list(
        Extension.history.values_list("history_type", flat=True).order_by("history_id")
    ) == [
        "+",
        "~",
    ]


def test_grant_lets_a_school_submit_after_the_final_deadline(cluster4, secretariat):
    late_day = dt.date(2026, 11, 20)
    school, year = cluster4.school_a, cluster4.year
    before = judge_submission(year=year, school=school, phase_kind=PhaseKind.REPORT, on=late_day)
    assert before.allowed is False
    _grant(cluster4, secretariat)
    after = judge_submission(year=year, school=school, phase_kind=PhaseKind.REPORT, on=late_day)
    assert (after.allowed, after.late, after.extended_until) == (True, False, UNTIL)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"phase_kind": PhaseKind.CROSS_SCORING},
            "phase_kind",
            "Extensions are granted for the pledge or the annual report.",
        ),
        (
            {"until": dt.date(2026, 10, 31)},
            "until",
            "An extension must end after the deadline (31/10/2026).",
        ),
        ({"reason": "  "}, "reason", "Give the reason for the extension."),
    ],
)
def test_grant_validation(cluster4, secretariat, kwargs, field, message):
    with pytest.raises(ValidationError) as raised:
        _grant(cluster4, secretariat, **kwargs)
    assert raised.value.message_dict == {field: [message]}
    assert not Extension.objects.exists()


def test_grant_refuses_a_school_outside_the_year(cluster4, secretariat, other_cluster):
    with pytest.raises(ValidationError) as raised:
        _grant(cluster4, secretariat, school=other_cluster["school"])
    assert list(raised.value.message_dict) == ["school"]


def test_update_changes_date_and_reason(cluster4, secretariat):
    extension = _grant(cluster4, secretariat)
    services.update_extension(
        extension=extension, until=dt.date(2026, 12, 5), reason="Lý do mới", by=secretariat
    )
    extension.refresh_from_db()
    assert (extension.until, extension.reason) == (dt.date(2026, 12, 5), "Lý do mới")


def test_revoke_deletes_and_logs(cluster4, secretariat):
    extension = _grant(cluster4, secretariat)
    services.revoke_extension(extension=extension, by=secretariat)
    assert not Extension.objects.exists()
    record = Extension.history.latest("history_id")
    assert (record.history_type, record.history_user, record.until) == ("-", secretariat, UNTIL)


# --- pages ----------------------------------------------------------------------------------


def _url():
    return reverse("evaluations:extensions", args=["CUM4", "2026"])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat", 200),
        ("admin_user", 200),
        ("observer", 403),
        ("rep_a", 403),
        ("rep_b", 403),
    ],
)
def test_extensions_page_personas(cluster4, persona, status, request, client_for):
    assert client_for(request.getfixturevalue(persona)).get(_url()).status_code == status


def test_extensions_page_forbidden_to_another_clusters_secretariat(
    cluster4, other_cluster, client_for
):
    assert client_for(other_cluster["secretariat"]).get(_url()).status_code == 403


def test_extensions_page_anonymous_redirects(cluster4, client):
    assert client.get(_url()).status_code == 302


def test_extensions_page_grants(cluster4, secretariat, client_for):
    response = client_for(secretariat).post(
        _url(),
        {
            "school": cluster4.school_b.pk,
            "phase_kind": PhaseKind.REPORT,
            "until": "2026-11-25",
            "reason": "Mất điện kéo dài",
        },
    )
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert (extension.school, extension.until, extension.granted_by) == (
        cluster4.school_b,
        UNTIL,
        secretariat,
    )


def test_extensions_page_keeps_typed_values_on_error(cluster4, secretariat, client_for):
    client = client_for(secretariat)
    client.cookies["django_language"] = "en"
    response = client.post(
        _url(),
        {
            "school": cluster4.school_b.pk,
            "phase_kind": PhaseKind.REPORT,
            "until": "2026-10-01",
            "reason": "Lý do đã gõ",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "An extension must end after the deadline (31/10/2026)." in html
    assert "Lý do đã gõ" in html
    assert not Extension.objects.exists()


def test_extensions_page_school_choices_are_the_years_members(
    cluster4, secretariat, other_cluster, client_for
):
    response = client_for(secretariat).post(
        _url(),
        {
            "school": other_cluster["school"].pk,
            "phase_kind": PhaseKind.REPORT,
            "until": "2026-11-25",
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert not Extension.objects.exists()


def test_extensions_page_lists_and_logs(cluster4, secretariat, client_for):
    extension = _grant(cluster4, secretariat)
    services.revoke_extension(extension=extension, by=secretariat)
    _grant(cluster4, secretariat, school=cluster4.school_c, phase_kind=PhaseKind.PLEDGE)
    html = client_for(secretariat).get(_url()).content.decode()
    assert 'data-testid="extension-SCC-pledge"' in html
    assert 'data-testid="extension-SCA-report"' not in html
    log = html.split('data-testid="extension-log"')[1]
    assert log.count("<tr>") == 4  # header + granted, revoked, granted
    assert "Nguyễn Thị Thư Ký" in log


def test_extension_edit(cluster4, secretariat, client_for):
    extension = _grant(cluster4, secretariat)
    url = reverse("evaluations:extension_edit", kwargs={"pk": extension.pk})
    response = client_for(secretariat).post(url, {"until": "30/11/2026", "reason": "Điều chỉnh"})
    assert response.status_code == 302
    extension.refresh_from_db()
    assert (extension.until, extension.reason) == (dt.date(2026, 11, 30), "Điều chỉnh")


@pytest.mark.parametrize("persona", ["rep_a", "observer"])
def test_extension_edit_and_revoke_forbidden_to_others(
    cluster4, secretariat, persona, request, client_for
):
    extension = _grant(cluster4, secretariat)
    client = client_for(request.getfixturevalue(persona))
    edit = reverse("evaluations:extension_edit", kwargs={"pk": extension.pk})
    revoke = reverse("evaluations:extension_revoke", kwargs={"pk": extension.pk})
    assert client.get(edit).status_code == 403
    assert client.post(revoke).status_code == 403
    assert Extension.objects.filter(pk=extension.pk).exists()


def test_extension_of_another_cluster_is_forbidden(
    cluster4, secretariat, other_cluster, client_for
):
    extension = _grant(cluster4, secretariat)
    revoke = reverse("evaluations:extension_revoke", kwargs={"pk": extension.pk})
    assert client_for(other_cluster["secretariat"]).post(revoke).status_code == 403


def test_extension_revoke(cluster4, secretariat, client_for):
    extension = _grant(cluster4, secretariat)
    revoke = reverse("evaluations:extension_revoke", kwargs={"pk": extension.pk})
    client = client_for(secretariat)
    assert client.get(revoke).status_code == 405
    response = client.post(revoke)
    assert response.status_code == 302
    assert response["Location"] == _url()
    assert not Extension.objects.exists()


def test_extension_unknown_is_404(cluster4, secretariat, client_for):
    url = reverse("evaluations:extension_edit", kwargs={"pk": 31337})
    assert client_for(secretariat).get(url).status_code == 404


def test_extension_page_of_a_year_without_phases(cluster4, secretariat, client_for):
    f.EmulationYearFactory(cluster=cluster4.cluster, label="2027")
    url = reverse("evaluations:extensions", args=["CUM4", "2027"])
    assert client_for(secretariat).get(url).status_code == 200
