from django.db import models
from django.utils.translation import gettext_lazy as _


class RecipientKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")


class AwardCategory(models.TextChoices):
    TITLE = "title", _("Emulation title (danh hiệu thi đua)")
    FORM = "form", _("Form of commendation (hình thức khen thưởng)")


class AwardLevel(models.TextChoices):
    SCHOOL = "school", _("School")
    ACADEMY = "academy", _("Academy (ministry level)")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published to members for comment")
    VOTED = "voted", _("Voted")
    APPROVED = "approved", _("Approved by the cluster")
    NOT_APPROVED = "not_approved", _("Not approved by the cluster")
    FORWARDED = "forwarded", _("Forwarded to the Academy")
    DECIDED = "decided", _("Decided (awarded)")
    REFUSED = "refused", _("Refused by the Academy")
    REVOKED = "revoked", _("Decision revoked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RoundKind(models.TextChoices):
    CHOOSE = "choose", _("Choose up to N candidates")
    YES_NO = "yes_no", _("Yes or no on each nomination")
    ELECTION = "election", _("Election of next year's head and deputies")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ThresholdBase(models.TextChoices):
    ELECTORATE = "electorate", _("The whole electorate")
    VOTES_CAST = "cast", _("Ballots cast")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
