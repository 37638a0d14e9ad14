"""The "Import from Excel" admin view on the Cluster changelist (superusers only)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from cluster.admin import IMPORT_SESSION_KEY
from cluster.models import Cluster, Membership, School
from tests import factories as f
from tests.cluster.test_import import MEMBERS, db_counts, workbook

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:cluster_cluster_import"
TEMPLATE_URL = "admin:cluster_cluster_import_template"


def upload(buffer: BytesIO, name: str = "cum.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def staff_user(db):
    return f.UserFactory(email="staff@example.vn", role=Role.OBSERVER, is_staff=True)


def test_import_view_get_shows_form_and_template_link(admin_user, client_for):
    response = client_for(admin_user).get(reverse(IMPORT_URL))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'type="file"' in content
    assert reverse(TEMPLATE_URL) in content
    assert response.context["report"] is None


def test_cluster_changelist_links_to_import_for_superuser(admin_user, client_for):
    response = client_for(admin_user).get(reverse("admin:cluster_cluster_changelist"))

    assert reverse(IMPORT_URL) in response.content.decode()


def test_import_view_preview_changes_nothing_and_shows_counts(admin_user, client_for):
    client = client_for(admin_user)

    response = client.post(reverse(IMPORT_URL), {"file": upload(workbook()), "action": "preview"})

    assert response.status_code == 200
    report = response.context["report"]
    assert report.dry_run is True
    assert (report.clusters.created, report.schools.created, report.members.created) == (2, 3, 3)
    assert db_counts() == (0, 0, 0, 0, 0, 0)
    assert 'value="confirm"' in response.content.decode()
    assert client.session[IMPORT_SESSION_KEY]["name"] == "cum.xlsx"


def test_import_view_confirm_after_preview_imports(admin_user, client_for):
    client = client_for(admin_user)
    preview = client.post(reverse(IMPORT_URL), {"file": upload(workbook()), "action": "preview"})
    sha = preview.context["preview"]["sha256"]

    response = client.post(reverse(IMPORT_URL), {"action": "confirm", "sha256": sha}, follow=True)

    assert response.redirect_chain == [(reverse("admin:cluster_cluster_changelist"), 302)]
    assert (Cluster.objects.count(), School.objects.count(), Membership.objects.count()) == (
        2,
        3,
        3,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert "cum.xlsx" in messages[0]
    assert IMPORT_SESSION_KEY not in client.session


def test_import_view_confirm_with_other_preview_hash_imports_nothing(admin_user, client_for):
    client = client_for(admin_user)
    client.post(reverse(IMPORT_URL), {"file": upload(workbook()), "action": "preview"})

    response = client.post(reverse(IMPORT_URL), {"action": "confirm", "sha256": "0" * 64})

    assert response.status_code == 302
    assert response.url == reverse(IMPORT_URL)
    assert Cluster.objects.count() == 0


def test_import_view_confirm_without_preview_imports_nothing(admin_user, client_for):
    response = client_for(admin_user).post(
        reverse(IMPORT_URL), {"action": "confirm", "sha256": "x"}
    )

    assert response.status_code == 302
    assert Cluster.objects.count() == 0


def test_import_view_import_writes_and_redirects_with_counts(admin_user, client_for):
    response = client_for(admin_user).post(
        reverse(IMPORT_URL),
        {"file": upload(workbook()), "action": "import"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.redirect_chain[-1][0] == reverse("admin:cluster_cluster_changelist")
    assert Membership.objects.count() == 3
    assert [str(m) for m in response.context["messages"]] == [
        "Imported cum.xlsx: clusters: 2 created, 0 updated, 0 unchanged; "
        "schools: 3 created, 0 updated, 0 unchanged; members: 3 created, 0 updated, 0 unchanged"
    ]


def test_import_view_lists_problems_and_changes_nothing(admin_user, client_for):
    members = MEMBERS + [["CUM4", "XYZ", "2020-01-01", None], ["CUM4", "HYE", "1/1/2020", None]]

    response = client_for(admin_user).post(
        reverse(IMPORT_URL), {"file": upload(workbook(members=members)), "action": "import"}
    )

    assert response.status_code == 200
    problems = response.context["report"].problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("members", 5, "school_code"),
        ("members", 6, "from_date"),
    ]
    content = response.content.decode()
    assert 'id="import-problems"' in content
    assert "<td>school_code</td>" in content
    assert "1/1/2020" in content
    assert db_counts() == (0, 0, 0, 0, 0, 0)
    assert response.context["preview"] is None


def test_import_view_rejects_file_that_is_not_xlsx_by_name(admin_user, client_for):
    response = client_for(admin_user).post(
        reverse(IMPORT_URL), {"file": upload(workbook(), "cum.csv"), "action": "import"}
    )

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert Cluster.objects.count() == 0


def test_import_view_corrupt_xlsx_is_one_problem(admin_user, client_for):
    response = client_for(admin_user).post(
        reverse(IMPORT_URL), {"file": upload(BytesIO(b"PK\x03\x04junk")), "action": "import"}
    )

    assert response.status_code == 200
    problems = response.context["report"].problems
    assert len(problems) == 1
    assert problems[0].sheet is None


def test_import_template_download_is_xlsx_with_three_sheets(admin_user, client_for):
    response = client_for(admin_user).get(reverse(TEMPLATE_URL))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    assert load_workbook(BytesIO(response.content)).sheetnames == ["clusters", "schools", "members"]


@pytest.mark.parametrize("url_name", [IMPORT_URL, TEMPLATE_URL])
def test_import_views_forbidden_to_staff_non_superuser(url_name, staff_user, client_for):
    response = client_for(staff_user).get(reverse(url_name))

    assert response.status_code == 403


def test_import_post_forbidden_to_staff_non_superuser(staff_user, client_for):
    response = client_for(staff_user).post(
        reverse(IMPORT_URL), {"file": upload(workbook()), "action": "import"}
    )

    assert response.status_code == 403
    assert Cluster.objects.count() == 0


@pytest.mark.parametrize("url_name", [IMPORT_URL, TEMPLATE_URL])
@pytest.mark.parametrize("persona", ["secretariat", "rep_a", "observer", None])
def test_import_views_redirect_non_staff_to_login(url_name, persona, request, client_for):
    user = request.getfixturevalue(persona) if persona else None

    response = client_for(user).get(reverse(url_name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_cluster_changelist_hides_import_link_from_staff_with_view_permission(client_for, db):
    from django.contrib.auth.models import Permission

    user = f.UserFactory(email="viewer@example.vn", role=Role.OBSERVER, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_cluster"))

    response = client_for(user).get(reverse("admin:cluster_cluster_changelist"))

    assert response.status_code == 200
    assert reverse(IMPORT_URL) not in response.content.decode()
