"""Django admin of the cluster models: pages load for a superuser in a fixed number of
queries, and are closed to everyone else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.enums import Role
from cluster.enums import EventKind, LeadershipRole, PhaseKind
from cluster.models import Event, Movement, MovementDocument, SchoolMerge
from tests import factories as f

pytestmark = pytest.mark.django_db

MODELS = ["cluster", "school", "schoolmerge", "membership", "emulationyear", "movement", "event"]
# Admin pages: session, user, the page's own reads, the nav; the same for 1 or 10 clusters.
MAX_QUERIES = 15


def populate(start: int, count: int) -> None:
    """``count`` clusters, each with two schools (one merged into the other), a year with
    phases and leaders, a movement with a document and an event."""
    for i in range(start, start + count):
        cluster = f.ClusterFactory(code=f"C{i:03d}")
        a = f.SchoolFactory(code=f"A{i:03d}")
        b = f.SchoolFactory(code=f"B{i:03d}")
        f.MembershipFactory(cluster=cluster, school=a, start_date=dt.date(2020, 1, 1))
        f.MembershipFactory(
            cluster=cluster, school=b, start_date=dt.date(2020, 1, 1), end_date=dt.date(2025, 6, 30)
        )
        SchoolMerge.objects.create(predecessor=b, successor=a, effective_date=dt.date(2025, 7, 1))
        year = f.EmulationYearFactory(cluster=cluster, label="2026")
        f.PhaseFactory(year=year, kind=PhaseKind.PLEDGE)
        f.LeadershipFactory(year=year, school=a, role=LeadershipRole.HEAD)
        f.LeadershipFactory(year=year, school=b, role=LeadershipRole.DEPUTY)
        movement = Movement.objects.create(
            cluster=cluster, title=f"Phong trào {i}", start_date=dt.date(2026, 1, 1)
        )
        MovementDocument.objects.create(movement=movement, title="Kế hoạch", file="x.pdf")
        Event.objects.create(
            cluster=cluster,
            year=year,
            kind=EventKind.CONFERENCE,
            title=f"Hội nghị {i}",
            date=dt.date(2026, 11, 20),
            host_school=a,
        )


@pytest.fixture
def staff_user(db):
    return f.UserFactory(email="staff@example.vn", role=Role.OBSERVER, is_staff=True)


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_loads_in_fixed_queries(
    model, admin_user, client_for, django_assert_max_num_queries
):
    client = client_for(admin_user)
    url = reverse(f"admin:cluster_{model}_changelist")
    populate(0, 1)
    with django_assert_max_num_queries(MAX_QUERIES) as small_queries:
        small = client.get(url)
    populate(1, 9)
    with django_assert_max_num_queries(MAX_QUERIES) as large_queries:
        large = client.get(url)

    assert small.status_code == 200
    assert large.status_code == 200
    assert len(large_queries.captured_queries) == len(small_queries.captured_queries)
    assert large.context["cl"].result_count == (20 if model in ("school", "membership") else 10)


@pytest.mark.parametrize("model", MODELS)
def test_admin_add_page_loads_in_fixed_queries(
    model, admin_user, client_for, django_assert_max_num_queries
):
    client = client_for(admin_user)
    url = reverse(f"admin:cluster_{model}_add")
    populate(0, 10)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)

    assert response.status_code == 200


def test_admin_year_change_page_shows_phases_and_leaders(admin_user, client_for, cluster4):
    url = reverse("admin:cluster_emulationyear_change", args=[cluster4.year.pk])

    response = client_for(admin_user).get(url)

    assert response.status_code == 200
    formsets = {fs.formset.prefix: fs.formset for fs in response.context["inline_admin_formsets"]}
    assert formsets["phases"].queryset.count() == 2
    assert formsets["leaders"].queryset.count() == 2


def test_admin_year_changelist_shows_head(admin_user, client_for, cluster4):
    response = client_for(admin_user).get(reverse("admin:cluster_emulationyear_changelist"))

    assert "SCA" in response.content.decode()


def test_admin_cluster_changelist_counts_current_members(admin_user, client_for, cluster4):
    f.MembershipFactory(
        cluster=cluster4.cluster,
        school=f.SchoolFactory(code="OLD"),
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2012, 12, 31),
    )

    response = client_for(admin_user).get(reverse("admin:cluster_cluster_changelist"))

    cluster = response.context["cl"].result_list[0]
    assert cluster.current_member_count == 3


def test_admin_movement_document_records_uploader(admin_user, client_for, cluster4, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    movement = Movement.objects.create(
        cluster=cluster4.cluster, title="Phong trào", start_date=dt.date(2026, 1, 1)
    )
    url = reverse("admin:cluster_movement_change", args=[movement.pk])
    data = {
        "cluster": cluster4.cluster.pk,
        "title": "Phong trào",
        "start_date": "01/01/2026",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
        "documents-0-title": "Kế hoạch",
        "documents-0-file": SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4"),
    }

    with pytest.MonkeyPatch.context() as mp:
        from django.conf import settings

        mp.setattr(settings, "MEDIA_ROOT", str(tmp_path))
        response = client_for(admin_user).post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    document = movement.documents.get()
    assert document.uploaded_by == admin_user


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_redirects_non_staff_to_login(model, rep_a, client_for):
    url = reverse(f"admin:cluster_{model}_changelist")

    response = client_for(rep_a).get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_redirects_anonymous_to_login(model, client_for, db):
    response = client_for(None).get(reverse(f"admin:cluster_{model}_add"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_forbidden_to_staff_without_permission(model, staff_user, client_for):
    response = client_for(staff_user).get(reverse(f"admin:cluster_{model}_changelist"))

    assert response.status_code == 403
