"""cluster.demo and ``manage.py seed_demo``."""

from __future__ import annotations

import datetime as dt
import sys
import types
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation

from accounts.enums import Role
from accounts.models import User
from cluster import demo
from cluster.enums import EventKind, LeadershipRole, PeriodKind
from cluster.models import Cluster, EmulationYear, Event, Leadership, Movement, School, SchoolMerge
from cluster.selectors import head_of, members_of_year

pytestmark = pytest.mark.django_db

NINE = {"BNI", "HDU", "TBI", "HYE", "NBI", "HNA", "NDI", "QNI", "VPH"}


@pytest.fixture
def seeded():
    return demo.seed()


def year(label: str, code: str = "CUM4") -> EmulationYear:
    return EmulationYear.objects.get(cluster__code=code, label=label)


def member_codes(label: str, code: str = "CUM4") -> set[str]:
    return set(members_of_year(year(label, code)).values_list("code", flat=True))


def all_counts() -> dict[str, int]:
    """Rows of every table, history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seed_creates_the_nine_schools_and_the_successors(seeded):
    codes = set(School.objects.values_list("code", flat=True))

    assert NINE | {"HPH", "PTH"} <= codes
    assert School.objects.get(code="HYE").name == "Trường Chính trị Nguyễn Văn Linh"
    assert School.objects.get(code="HPH").name == "Trường Chính trị thành phố Hải Phòng"
    assert School.objects.get(code="PTH").province == "Phú Thọ"
    assert not School.objects.filter(is_demo=False).exists()


def test_seed_cum4_is_marked_demo(seeded):
    cluster = Cluster.objects.get(code="CUM4")

    assert cluster.is_demo is True
    assert cluster.description.startswith("Dữ liệu minh họa (demo)")
    assert Cluster.objects.get(code="CUM8").name == "Cụm thi đua số 8 (demo)"


def test_seed_year_labels_and_periods(seeded):
    labels = list(
        EmulationYear.objects.filter(cluster__code="CUM4")
        .order_by("start_date")
        .values_list("label", "period_kind", "start_date", "end_date")
    )

    assert labels[0] == (
        "2017–2018",
        PeriodKind.SCHOOL,
        dt.date(2017, 9, 1),
        dt.date(2018, 8, 31),
    )
    assert [row[0] for row in labels[1:]] == [str(y) for y in range(2019, 2027)]
    assert {row[1] for row in labels[1:]} == {PeriodKind.CALENDAR}
    assert labels[-1][2:] == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_seed_2026_members_are_the_successor_schools(seeded):
    assert member_codes("2026") == {"BNI", "HYE", "NBI", "QNI", "HPH", "PTH"}
    assert member_codes("2025") == {"BNI", "HYE", "NBI", "QNI", "HPH", "PTH"}


def test_seed_years_before_the_merger_have_the_nine(seeded):
    assert member_codes("2024") == NINE
    assert member_codes("2017–2018") == NINE


def test_seed_merges_dated_first_july_2025(seeded):
    merges = {
        (m.predecessor.code, m.successor.code, m.effective_date)
        for m in SchoolMerge.objects.select_related("predecessor", "successor")
    }

    when = dt.date(2025, 7, 1)
    assert merges == {
        ("HNA", "NBI", when),
        ("NDI", "NBI", when),
        ("TBI", "HYE", when),
        ("HDU", "HPH", when),
        ("VPH", "PTH", when),
    }


def test_seed_heads_of_the_recorded_years(seeded):
    heads = {label: head_of(year(label)).code for label in ("2017–2018", "2019", "2021", "2022")}

    assert heads == {"2017–2018": "TBI", "2019": "HDU", "2021": "HNA", "2022": "NBI"}
    assert head_of(year("2020")).code != "HDU"
    assert head_of(year("2026")).code == "HYE"


@pytest.mark.parametrize("code", ["CUM4", "CUM8"])
def test_seed_no_school_is_head_two_years_running(seeded, code):
    heads = [
        head_of(y).code
        for y in EmulationYear.objects.filter(cluster__code=code).order_by("start_date")
    ]

    assert all(a != b for a, b in zip(heads, heads[1:], strict=False))
    assert len(heads) == (9 if code == "CUM4" else 2)


def test_seed_leaders_are_members_of_their_year_with_one_or_two_deputies(seeded):
    for y in EmulationYear.objects.all():
        members = set(members_of_year(y).values_list("code", flat=True))
        leaders = list(Leadership.objects.filter(year=y).select_related("school"))
        assert {leader.school.code for leader in leaders} <= members, y.label
        roles = sorted(leader.role for leader in leaders)
        assert roles.count(LeadershipRole.HEAD) == 1
        assert roles.count(LeadershipRole.DEPUTY) in (1, 2)


def test_seed_years_have_seven_phases_theme_and_decision(seeded):
    y2020 = year("2020")

    assert y2020.theme == "Đoàn kết – Kỷ cương – Gương mẫu – Sáng tạo – Hiệu quả"
    assert y2020.recognition_decision_number.endswith("/QĐ-HVCTQG")
    for y in EmulationYear.objects.all():
        phases = list(y.phases.all())
        assert len(phases) == 7
        assert all(y.start_date <= p.starts_on <= p.deadline <= y.end_date for p in phases)


def test_seed_report_phase_has_final_deadline(seeded):
    report = year("2026").phases.get(kind="report")

    assert (report.starts_on, report.deadline, report.hard_deadline) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
        dt.date(2026, 11, 7),
    )


def test_seed_movements_of_cum4(seeded):
    movements = {
        m.title: (m.start_date.year, m.end_date.year)
        for m in Movement.objects.filter(cluster__code="CUM4")
    }

    assert movements == {
        "Đoàn kết – Kỷ cương – Gương mẫu – Sáng tạo – Hiệu quả": (2020, 2025),
        "Tập thể kiểu mẫu": (2019, 2025),
        "Cán bộ trường Đảng kiểu mẫu": (2019, 2025),
        "Cán bộ, công chức, viên chức thực hiện văn hóa công sở": (2019, 2025),
    }


def test_seed_november_2020_conference_elected_ha_nam(seeded):
    event = Event.objects.get(cluster__code="CUM4", date=dt.date(2020, 11, 23))

    assert event.kind == EventKind.CONFERENCE
    assert "2015–2020" in event.title
    assert "Hà Nam" in event.description


def test_seed_year_end_conferences_are_hosted_by_the_head(seeded):
    for y in EmulationYear.objects.filter(cluster__code="CUM4").exclude(label="2017–2018"):
        conference = Event.objects.get(year=y, kind=EventKind.CONFERENCE)
        assert conference.date.month == 11
        assert conference.host_school == head_of(y)


def test_seed_second_cluster_has_its_own_schools_and_years(seeded):
    assert member_codes("2026", "CUM8") == {"TNG", "TQU", "LCA", "CBA"}
    assert set(
        EmulationYear.objects.filter(cluster__code="CUM8").values_list("label", flat=True)
    ) == {"2025", "2026"}


def test_seed_demo_accounts_for_every_role(seeded):
    users = {u.email: u for u in User.objects.all()}

    admin = users["admin@demo.thidua.vn"]
    assert (admin.role, admin.is_superuser, admin.is_staff) == (Role.ADMIN, True, True)
    assert users["thuky@demo.thidua.vn"].cluster.code == "CUM4"
    assert users["thuky8@demo.thidua.vn"].cluster.code == "CUM8"
    assert users["hocvien@demo.thidua.vn"].role == Role.OBSERVER
    reps = {u.school.code for u in users.values() if u.role == Role.REPRESENTATIVE}
    assert reps == NINE | {"HPH", "PTH", "TNG", "TQU", "LCA", "CBA"}
    assert users["hye@demo.thidua.vn"].school.code == "HYE"
    assert all(u.is_demo for u in users.values())
    assert admin.check_password("demo12345")
    assert users["hye@demo.thidua.vn"].check_password("demo12345")
    assert len({u.password for u in users.values()}) == 1  # the same demo password for all
    assert len(seeded.accounts) == len(users) == 19


def test_seed_twice_creates_and_changes_nothing(seeded):
    before = all_counts()

    second = demo.seed()

    assert all_counts() == before
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == seeded.created


def test_seed_keeps_a_changed_password(seeded):
    user = User.objects.get(email="hye@demo.thidua.vn")
    user.set_password("Mat-khau-moi-2026")
    user.save()

    demo.seed()

    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2026")


def test_seed_restores_edited_demo_data(seeded):
    School.objects.filter(code="HYE").update(name="Tên sửa tay")
    y = year("2026")
    Leadership.objects.filter(year=y).delete()
    Leadership.objects.create(year=y, school=School.objects.get(code="BNI"), role="head")

    summary = demo.seed()

    assert School.objects.get(code="HYE").name == "Trường Chính trị Nguyễn Văn Linh"
    assert head_of(year("2026")).code == "HYE"
    assert summary.created == 3  # the head and two deputies deleted by hand
    assert summary.updated == 2  # the school's name; the stray head removed


def test_seed_demo_command_prints_accounts_table(monkeypatch):
    monkeypatch.setattr(demo, "EXTENSION_MODULES", ())
    out = StringIO()

    with translation.override("en"):
        call_command("seed_demo", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Demo clusters: ")
    header = next(line for line in lines if line.startswith("Email"))
    assert header.split() == ["Email", "Role", "School", "/", "cluster", "Password"]
    admin_line = next(line for line in lines if line.startswith("admin@demo.thidua.vn"))
    assert admin_line.split()[-1] == "demo12345"
    assert any(line.startswith("hye@demo.thidua.vn") and "HYE" in line for line in lines)
    assert sum("@demo.thidua.vn" in line for line in lines) == 19


def test_seed_demo_command_twice_changes_nothing(monkeypatch):
    monkeypatch.setattr(demo, "EXTENSION_MODULES", ())
    call_command("seed_demo", stdout=StringIO())
    before = all_counts()
    out = StringIO()

    with translation.override("en"):
        call_command("seed_demo", stdout=out)

    assert all_counts() == before
    assert out.getvalue().startswith("Demo clusters: 0 created, 0 updated, ")


def test_seed_extensions_run_in_order_and_skip_missing(monkeypatch):
    calls = []
    for name in ("fake_demo_a", "fake_demo_b"):
        module = types.ModuleType(name)
        module.seed = lambda name=name: calls.append(name)
        monkeypatch.setitem(sys.modules, name, module)

    ran = demo.seed_extensions(("fake_demo_b", "missing_demo_module", "fake_demo_a"))

    assert ran == ["fake_demo_b", "fake_demo_a"]
    assert calls == ["fake_demo_b", "fake_demo_a"]


def test_seed_extensions_propagate_import_errors_inside_a_module(tmp_path, monkeypatch):
    (tmp_path / "broken_demo_module.py").write_text("import module_that_does_not_exist\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    with pytest.raises(ModuleNotFoundError) as excinfo:
        demo.seed_extensions(("broken_demo_module",))

    assert excinfo.value.name == "module_that_does_not_exist"


def test_seed_demo_command_calls_extensions(monkeypatch):
    calls = []
    module = types.ModuleType("fake_demo_ext")
    module.seed = lambda: calls.append("ran")
    monkeypatch.setitem(sys.modules, "fake_demo_ext", module)
    monkeypatch.setattr(demo, "EXTENSION_MODULES", ("fake_demo_ext",))

    call_command("seed_demo", stdout=StringIO())

    assert calls == ["ran"]
