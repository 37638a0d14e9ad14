"""The Django admin of the evaluations models: every page opens; the lock rule holds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from evaluations.enums import SubmissionStatus
from evaluations.models import Criterion, Pledge
from evaluations.services import pledges as pledge_services
from tests.evaluations.criteria_support import criterion, make_indicators, make_table, self_score

pytestmark = pytest.mark.django_db

EVALUATION_MODELS = [
    model
    for model in apps.get_app_config("evaluations").get_models()
    if not model.__name__.startswith("Historical")
]


def test_every_evaluations_model_is_registered():
    missing = [m.__name__ for m in EVALUATION_MODELS if not admin.site.is_registered(m)]

    assert missing == []


@pytest.mark.parametrize("model", EVALUATION_MODELS, ids=lambda m: m.__name__)
def test_changelist_opens(model, cluster4, client_for, admin_user):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")
    url = reverse(f"admin:evaluations_{model._meta.model_name}_changelist")

    response = client_for(admin_user).get(url)

    assert response.status_code == 200


def test_changelists_are_closed_to_the_secretariat(cluster4, client_for, secretariat):
    response = client_for(secretariat).get(reverse("admin:evaluations_criterion_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_locked_criterion_cannot_be_deleted_in_the_admin(cluster4, client_for, admin_user):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")
    target = criterion(cluster4.year, "2.2")

    response = client_for(admin_user).post(
        reverse("admin:evaluations_criterion_delete", args=(target.pk,)), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Criterion.objects.filter(pk=target.pk).exists()


def test_locked_maximum_cannot_change_in_the_admin(cluster4, client_for, admin_user):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")
    target = criterion(cluster4.year, "1.1")

    response = client_for(admin_user).post(
        reverse("admin:evaluations_criterion_change", args=(target.pk,)),
        {
            "table": target.table_id,
            "parent": target.parent_id,
            "code": "1.1",
            "title": target.title,
            "guidance": "",
            "max_points": "35",
            "order": target.order,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert criterion(cluster4.year, "1.1").max_points == Decimal("30")


def test_accept_action_uses_the_service(cluster4, client_for, admin_user, rep_a):
    indicators = make_indicators(cluster4.year, 1)
    pledge = pledge_services.get_or_start_pledge(
        year=cluster4.year, school=cluster4.school_a, by=rep_a
    )
    pledge_services.save_pledge_draft(
        pledge=pledge, by=rep_a, data={"targets": {indicators[0].pk: "4"}}
    )
    pledge_services.submit_pledge(pledge=pledge, by=rep_a, today=dt.date(2026, 3, 1))
    draft = Pledge.objects.create(year=cluster4.year, school=cluster4.school_b)

    response = client_for(admin_user).post(
        reverse("admin:evaluations_pledge_changelist"),
        {"action": "accept_selected", "_selected_action": [pledge.pk, draft.pk]},
    )

    assert response.status_code == 302
    assert Pledge.objects.get(pk=pledge.pk).status == SubmissionStatus.ACCEPTED
    assert Pledge.objects.get(pk=draft.pk).status == SubmissionStatus.DRAFT


def test_bulk_delete_is_not_offered_for_criteria(cluster4, client_for, admin_user):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")
    ids = list(Criterion.objects.values_list("pk", flat=True))

    client_for(admin_user).post(
        reverse("admin:evaluations_criterion_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )

    assert Criterion.objects.count() == len(ids)
