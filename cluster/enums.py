from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HeadingStyle(models.TextChoices):
    STATE = "state", _("State heading (Cộng hòa xã hội chủ nghĩa Việt Nam)")
    PARTY = "party", _("Party heading (Đảng Cộng sản Việt Nam)")


class PeriodKind(models.TextChoices):
    CALENDAR = "calendar", _("Calendar year")
    SCHOOL = "school", _("School year")


class PhaseKind(models.TextChoices):
    """The steps of the yearly cycle, in their usual order (DOMAIN.md)."""

    GUIDANCE = "guidance", _("Guidance")
    PLEDGE = "pledge", _("Pledge registration and covenant")
    MIDYEAR = "midyear", _("Mid-year review")
    REPORT = "report", _("Annual report and self-scoring")
    CROSS_SCORING = "cross_scoring", _("Cross-scoring")
    CONFERENCE = "conference", _("Year-end conference and voting")
    PROPOSALS = "proposals", _("Award proposals to the Academy")


PHASE_ORDER = {kind: index for index, kind in enumerate(PhaseKind.values)}


class LeadershipRole(models.TextChoices):
    HEAD = "head", _("Head (cụm trưởng)")
    DEPUTY = "deputy", _("Deputy (cụm phó)")


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference (hội nghị)")
    WORKSHOP = "workshop", _("Scientific workshop (hội thảo)")
    MODEL_LESSON = "model_lesson", _("Model lesson (thao giảng)")
    CLASS_VISIT = "class_visit", _("Class visit (dự giờ)")
    LAUNCH = "launch", _("Launch and covenant signing (phát động, ký kết)")
    REVIEW = "review", _("Review meeting (sơ kết, tổng kết)")
    OTHER = "other", _("Other activity")
