"""The eligibility rule engine (DOMAIN rules 1–6): pure functions over ``Facts``.

``evaluate(facts)`` reads no database: ``awards.selectors_nominations.eligibility_facts``
gathers the facts (the rule in force, the recipient's awards, the school's awards of the
year), and this module judges them. Each rule gives a ``Check`` with a code, whether it
passed, a plain-words message and whether the failure is statutory (a statutory failure
blocks submission). Checks are stored on the nomination as JSON (code, passed, statutory,
params) and their messages are rendered again in the reader's language.

Decisions where the domain text is silent:

- The rule applied is the one in force on the decision date: the nomination's decision date
  once decided, else its planned decision date, else today.
- "Consecutive years" counts back from the nomination year: a prerequisite of n years needs
  the title in each of year−1 … year−n. Only decisions count (not pending nominations), and
  revoked decisions do not count (rule 3). A gap therefore fails the rule.
- "Same-year title" (CSTĐCS needs that year's LĐTT): held (a decision that is not revoked),
  or proposed for the same year by the same school in a nomination that has been submitted
  and is still alive (not a draft, not withdrawn, refused, not approved or revoked). A draft
  does not count: submit the LĐTT proposal first.
- Quota: the school's recipients of the type for the year (decisions not revoked, and live
  submitted nominations, this one included, each recipient once) must not exceed
  floor(quota% × the school's recipients of the base type that year, counted the same way).
- One achievement, one award (rule 2): a recipient cannot hold or be proposed twice for the
  same type and period; for forms of commendation, at most one form (any form type) per
  recipient and period. Drafts count here (the database also refuses a second live one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .enums import AwardCategory, NominationStatus, RecipientKind

#: A nomination in one of these statuses no longer proposes anything.
DEAD_STATUSES = frozenset(
    {
        NominationStatus.WITHDRAWN,
        NominationStatus.REFUSED,
        NominationStatus.NOT_APPROVED,
        NominationStatus.REVOKED,
    }
)
#: A nomination that counts as "proposed" for the same-year title and the quota.
PROPOSED_STATUSES = frozenset(
    {
        NominationStatus.SUBMITTED,
        NominationStatus.RETURNED,
        NominationStatus.PUBLISHED,
        NominationStatus.VOTED,
        NominationStatus.APPROVED,
        NominationStatus.FORWARDED,
        NominationStatus.DECIDED,
    }
)

HELD = "achievement"
PROPOSED = "nomination"


@dataclass(frozen=True)
class Award:
    """An award a recipient holds (a decision, not revoked) or is proposed for."""

    recipient_id: int
    type_id: int
    type_label: str
    category: str
    year: int
    source: str  # HELD or PROPOSED
    status: str = ""  # the nomination's status when PROPOSED
    decision_number: str = ""


@dataclass(frozen=True)
class RuleFacts:
    """The parameters of the rule in force (a copy of AwardRule's fields)."""

    legal_basis: str
    prerequisite_type_id: int | None = None
    prerequisite_label: str = ""
    prerequisite_years: int = 0
    same_year_type_id: int | None = None
    same_year_label: str = ""
    requires_initiative: bool = False
    quota_percent: Decimal | None = None
    quota_of_type_id: int | None = None
    quota_of_label: str = ""
    min_good_share_percent: Decimal | None = None
    min_members_with_type: int | None = None
    requires_all_members_completed: bool = False
    forbids_disciplined_members: bool = False


@dataclass(frozen=True)
class Facts:
    type_id: int
    type_label: str
    category: str
    type_recipient_kind: str
    recipient_id: int
    recipient_name: str
    recipient_kind: str
    year: int
    on: date
    rule: RuleFacts | None
    #: The recipient's other awards (held, or proposed in a live nomination), any year.
    recipient_awards: Sequence[Award] = ()
    #: The school's awards of the year for the quota (held, or PROPOSED_STATUSES).
    school_awards: Sequence[Award] = ()
    has_initiative: bool = False
    members_total: int | None = None
    members_completed: int | None = None
    members_good_or_excellent: int | None = None
    members_with_title: int | None = None
    members_disciplined: int | None = None


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool
    message: str
    statutory: bool = True
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("message")
        return data

    @classmethod
    def make(cls, code: str, passed: bool, statutory: bool = True, **params) -> Check:
        return cls(code, passed, render_message(code, passed, params), statutory, params)

    @classmethod
    def from_json(cls, data: dict) -> Check:
        """Rebuild a stored check, its message in the current language."""
        params = data.get("params") or {}
        code, passed = data.get("code", ""), bool(data.get("passed"))
        try:
            message = render_message(code, passed, params)
        except (KeyError, TypeError, ValueError):
            message = data.get("message", code)
        return cls(code, passed, message, bool(data.get("statutory", True)), params)


def checks_to_json(checks: Iterable[Check]) -> list[dict]:
    return [check.to_json() for check in checks]


def checks_from_json(data) -> list[Check]:
    return [Check.from_json(item) for item in (data or []) if isinstance(item, dict)]


def blocking(checks: Iterable[Check]) -> list[Check]:
    """The statutory failures: any of them blocks submission."""
    return [c for c in checks if c.statutory and not c.passed]


# --- Messages --------------------------------------------------------------------------------


def _years(years: Sequence[int]) -> str:
    """2022, 2023 and 2024."""
    items = [str(y) for y in sorted(years)]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _percent(value) -> str:
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(int(number))
    return number_format(number.normalize())


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def _kind_plural(kind: str) -> str:
    return _("individuals") if kind == RecipientKind.INDIVIDUAL else _("collectives")


def render_message(code: str, passed: bool, p: dict) -> str:  # noqa: C901 - a lookup table
    """The plain-words message of a check, in the current language."""
    if code == "recipient_kind":
        if passed:
            return _("%(type)s is awarded to %(kind)s, as proposed.") % {
                "type": p["type"],
                "kind": _kind_plural(p["required"]),
            }
        return _("%(type)s is awarded to %(kind)s only; %(recipient)s is not one.") % {
            "type": p["type"],
            "kind": _kind_plural(p["required"]),
            "recipient": p["recipient"],
        }
    if code == "legal_basis":
        if passed:
            return _("Judged under %(basis)s, in force on %(date)s.") % {
                "basis": p["basis"],
                "date": _day(p["date"]),
            }
        return _("No legal basis in force on %(date)s for %(type)s.") % {
            "date": _day(p["date"]),
            "type": p["type"],
        }
    if code == "consecutive_years":
        values = {"title": p["title"], "years": _years(p["needed"])}
        if passed:
            return _("Holds %(title)s in %(years)s.") % values
        missing = p["missing"]
        values["missing"] = _years(missing)
        return (
            ngettext(
                "Needs %(title)s in %(years)s; %(missing)s is missing.",
                "Needs %(title)s in %(years)s; %(missing)s are missing.",
                len(missing),
            )
            % values
        )
    if code == "same_year_title":
        values = {"title": p["title"], "year": p["year"]}
        if passed:
            return _("Holds or is proposed for %(title)s in %(year)s.") % values
        return (
            _(
                "Needs %(title)s in %(year)s: held, or proposed by the school in a submitted "
                "nomination."
            )
            % values
        )
    if code == "initiative":
        if passed:
            return _("A recognised initiative or accepted research is given.")
        return _(
            "Needs a recognised initiative or accepted research: describe it or attach its "
            "recognition."
        )
    if code == "quota":
        values = {
            "count": p["count"],
            "type": p["type"],
            "year": p["year"],
            "allowed": p["allowed"],
            "percent": _percent(p["percent"]),
            "base": p["base"],
            "base_type": p["base_type"],
        }
        if passed:
            return (
                _(
                    "Quota: %(count)s %(type)s in %(year)s with this one, within the %(allowed)s "
                    "allowed (%(percent)s%% of %(base)s %(base_type)s)."
                )
                % values
            )
        return (
            _(
                "Quota exceeded: %(count)s %(type)s in %(year)s with this one, but only "
                "%(allowed)s allowed (%(percent)s%% of %(base)s %(base_type)s)."
            )
            % values
        )
    if code == "collective_figures":
        if passed:
            return _("The collective's figures are given.")
        return _(
            "Enter the collective's figures: members, members who completed their tasks, "
            "rated good or excellent, holding CSTĐCS, and disciplined."
        )
    if code == "collective_completed":
        values = {"completed": p["completed"], "total": p["total"]}
        if passed:
            return _("All %(total)s members completed their tasks.") % values
        return _("Every member must complete their tasks: %(completed)s of %(total)s did.") % values
    if code == "collective_good_share":
        values = {
            "good": p["good"],
            "total": p["total"],
            "share": _percent(p["share"]),
            "min": _percent(p["min"]),
        }
        if passed:
            return (
                _(
                    "%(good)s of %(total)s members (%(share)s%%) are rated good or excellent "
                    "(at least %(min)s%% needed)."
                )
                % values
            )
        return (
            _(
                "Only %(good)s of %(total)s members (%(share)s%%) are rated good or excellent; "
                "at least %(min)s%% are needed."
            )
            % values
        )
    if code == "collective_title":
        values = {"count": p["count"], "min": p["min"]}
        if passed:
            return _("%(count)s members hold CSTĐCS this year (at least %(min)s needed).") % values
        return _("At least %(min)s members must hold CSTĐCS this year; %(count)s do.") % values
    if code == "collective_discipline":
        if passed:
            return _("No member is disciplined at warning level or above.")
        return ngettext(
            "%(count)s member is disciplined at warning level or above; none may be.",
            "%(count)s members are disciplined at warning level or above; none may be.",
            p["count"],
        ) % {"count": p["count"]}
    if code == "one_award":
        values = {"recipient": p["recipient"], "type": p["type"], "year": p["year"]}
        if passed:
            return _("%(recipient)s has no other %(type)s for %(year)s.") % values
        if p.get("decision"):
            values["decision"] = p["decision"]
            return (
                _(
                    "%(recipient)s already holds %(type)s for %(year)s (decision %(decision)s): "
                    "one achievement backs one award."
                )
                % values
            )
        return (
            _(
                "%(recipient)s is already proposed for %(type)s for %(year)s in another "
                "nomination: one achievement backs one award."
            )
            % values
        )
    if code == "one_form":
        values = {"recipient": p["recipient"], "year": p["year"]}
        if passed:
            return _("%(recipient)s has no other form of commendation for %(year)s.") % values
        values["other"] = p["other"]
        return (
            _(
                "%(recipient)s already has a form of commendation for %(year)s (%(other)s): one "
                "form per recipient and period."
            )
            % values
        )
    raise KeyError(code)


# --- The rules -------------------------------------------------------------------------------


def evaluate(facts: Facts) -> list[Check]:
    """Judge ``facts``: one Check per rule that applies, in a fixed order."""
    checks = [_recipient_kind(facts)]
    rule = facts.rule
    if rule is None:
        checks.append(
            Check.make("legal_basis", False, date=facts.on.isoformat(), type=facts.type_label)
        )
    else:
        checks.append(
            Check.make("legal_basis", True, basis=rule.legal_basis, date=facts.on.isoformat())
        )
        if rule.prerequisite_type_id and rule.prerequisite_years:
            checks.append(_consecutive_years(facts, rule))
        if rule.same_year_type_id:
            checks.append(_same_year_title(facts, rule))
        if rule.requires_initiative:
            checks.append(Check.make("initiative", facts.has_initiative))
        if rule.quota_percent is not None and rule.quota_of_type_id:
            checks.append(_quota(facts, rule))
        checks.extend(_collective(facts, rule))
    checks.append(_one_award(facts))
    if facts.category == AwardCategory.FORM:
        checks.append(_one_form(facts))
    return checks


def _recipient_kind(facts: Facts) -> Check:
    return Check.make(
        "recipient_kind",
        facts.recipient_kind == facts.type_recipient_kind,
        type=facts.type_label,
        required=facts.type_recipient_kind,
        recipient=facts.recipient_name,
    )


def _held_years(facts: Facts, type_id: int) -> set[int]:
    return {a.year for a in facts.recipient_awards if a.source == HELD and a.type_id == type_id}


def _consecutive_years(facts: Facts, rule: RuleFacts) -> Check:
    needed = [facts.year - n for n in range(rule.prerequisite_years, 0, -1)]
    held = _held_years(facts, rule.prerequisite_type_id)
    missing = [y for y in needed if y not in held]
    return Check.make(
        "consecutive_years",
        not missing,
        title=rule.prerequisite_label,
        needed=needed,
        missing=missing,
    )


def _same_year_title(facts: Facts, rule: RuleFacts) -> Check:
    found = any(
        a.type_id == rule.same_year_type_id
        and a.year == facts.year
        and (a.source == HELD or a.status in PROPOSED_STATUSES)
        for a in facts.recipient_awards
    )
    return Check.make("same_year_title", found, title=rule.same_year_label, year=facts.year)


def _recipients_with(awards: Iterable[Award], type_id: int, year: int) -> set[int]:
    return {
        a.recipient_id
        for a in awards
        if a.type_id == type_id
        and a.year == year
        and (a.source == HELD or a.status in PROPOSED_STATUSES)
    }


def _quota(facts: Facts, rule: RuleFacts) -> Check:
    base = len(_recipients_with(facts.school_awards, rule.quota_of_type_id, facts.year))
    count = len(
        _recipients_with(facts.school_awards, facts.type_id, facts.year) | {facts.recipient_id}
    )
    allowed = int(
        (Decimal(rule.quota_percent) * base / 100).to_integral_value(rounding=ROUND_FLOOR)
    )
    return Check.make(
        "quota",
        count <= allowed,
        count=count,
        type=facts.type_label,
        year=facts.year,
        allowed=allowed,
        percent=str(rule.quota_percent),
        base=base,
        base_type=rule.quota_of_label,
    )


def _collective(facts: Facts, rule: RuleFacts) -> list[Check]:
    needs = {
        "completed": rule.requires_all_members_completed,
        "good": rule.min_good_share_percent is not None,
        "title": rule.min_members_with_type is not None,
        "discipline": rule.forbids_disciplined_members,
    }
    if not any(needs.values()):
        return []
    required = [facts.members_total]
    if needs["completed"]:
        required.append(facts.members_completed)
    if needs["good"]:
        required.append(facts.members_good_or_excellent)
    if needs["title"]:
        required.append(facts.members_with_title)
    if needs["discipline"]:
        required.append(facts.members_disciplined)
    if any(value is None for value in required) or not facts.members_total:
        return [Check.make("collective_figures", False)]
    total = facts.members_total
    checks = []
    if needs["completed"]:
        checks.append(
            Check.make(
                "collective_completed",
                facts.members_completed >= total,
                completed=facts.members_completed,
                total=total,
            )
        )
    if needs["good"]:
        share = (Decimal(facts.members_good_or_excellent) * 100 / total).quantize(Decimal("0.1"))
        checks.append(
            Check.make(
                "collective_good_share",
                Decimal(facts.members_good_or_excellent) * 100
                >= Decimal(rule.min_good_share_percent) * total,
                good=facts.members_good_or_excellent,
                total=total,
                share=str(share),
                min=str(rule.min_good_share_percent),
            )
        )
    if needs["title"]:
        checks.append(
            Check.make(
                "collective_title",
                facts.members_with_title >= rule.min_members_with_type,
                count=facts.members_with_title,
                min=rule.min_members_with_type,
            )
        )
    if needs["discipline"]:
        checks.append(
            Check.make(
                "collective_discipline",
                facts.members_disciplined == 0,
                count=facts.members_disciplined,
            )
        )
    return checks


def _one_award(facts: Facts) -> Check:
    params = {"recipient": facts.recipient_name, "type": facts.type_label, "year": facts.year}
    same = [
        a for a in facts.recipient_awards if a.type_id == facts.type_id and a.year == facts.year
    ]
    held = [a for a in same if a.source == HELD]
    if held:
        return Check.make("one_award", False, decision=held[0].decision_number or "—", **params)
    if same:
        return Check.make("one_award", False, **params)
    return Check.make("one_award", True, **params)


def _one_form(facts: Facts) -> Check:
    others = [
        a
        for a in facts.recipient_awards
        if a.category == AwardCategory.FORM and a.year == facts.year and a.type_id != facts.type_id
    ]
    params = {"recipient": facts.recipient_name, "year": facts.year}
    if others:
        return Check.make("one_form", False, other=others[0].type_label, **params)
    return Check.make("one_form", True, **params)
