"""factory_boy factories shared by every test module."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from accounts.enums import Role
from accounts.models import User
from cluster.enums import LeadershipRole, PhaseKind
from cluster.models import Cluster, EmulationYear, Leadership, Membership, Phase, School

DEFAULT_PASSWORD = "Mat-khau-2026!"


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CUM{n + 100}")
    name = factory.LazyAttribute(lambda o: f"Cụm thi đua {o.code}")
    document_symbol = factory.LazyAttribute(lambda o: f"CTĐ{o.code[-1]}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Trường Chính trị {o.code}")
    province = factory.LazyAttribute(lambda o: f"Tỉnh {o.code}")
    email = factory.LazyAttribute(lambda o: f"{o.code.lower()}@truong.example.vn")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    cluster = factory.SubFactory(ClusterFactory)
    school = factory.SubFactory(SchoolFactory)
    start_date = dt.date(2015, 1, 1)
    end_date = None


class EmulationYearFactory(DjangoModelFactory):
    class Meta:
        model = EmulationYear
        django_get_or_create = ("cluster", "label")

    cluster = factory.SubFactory(ClusterFactory)
    label = "2026"
    start_date = factory.LazyAttribute(lambda o: dt.date(int(o.label[:4]), 1, 1))
    end_date = factory.LazyAttribute(lambda o: dt.date(int(o.label[:4]), 12, 31))
    theme = "Đoàn kết – Kỷ cương – Gương mẫu – Sáng tạo – Hiệu quả"


class PhaseFactory(DjangoModelFactory):
    class Meta:
        model = Phase

    year = factory.SubFactory(EmulationYearFactory)
    kind = PhaseKind.PLEDGE
    starts_on = factory.LazyAttribute(lambda o: o.year.start_date)
    deadline = factory.LazyAttribute(lambda o: o.year.start_date + dt.timedelta(days=60))


class LeadershipFactory(DjangoModelFactory):
    class Meta:
        model = Leadership

    year = factory.SubFactory(EmulationYearFactory)
    school = factory.SubFactory(SchoolFactory)
    role = LeadershipRole.HEAD


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    role = Role.OBSERVER
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()
