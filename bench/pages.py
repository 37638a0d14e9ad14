"""What the runner measures: the pages, the personas who open them, and their sessions.

Everything is taken from cluster 1 (``BC001``) of the generated data and its current year,
which are the same at every size. Sessions are created in the database (as a sign-in would)
and passed as a cookie; the CSRF cookie and form field carry the same secret.

URL names belong to other parts of the app and may change: a page whose URL name does not
resolve is skipped with a note instead of failing the run.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .generate import EMAIL_DOMAIN, SCORER_INDEX

FIRST_CLUSTER = "BC001"
#: The report submission rotates over this many reports (schools 2…10 of clusters 1 and 2
#: in the demo size): the same reports at every size.
POST_TARGETS = 18
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass
class Persona:
    key: str
    user: object
    session_key: str = ""

    def cookies(self, csrf: str) -> dict[str, str]:
        values = {settings.CSRF_COOKIE_NAME: csrf}
        if self.session_key:
            values[settings.SESSION_COOKIE_NAME] = self.session_key
        return values


@dataclass
class Target:
    """One request of a page (a POST rotates over several)."""

    path: str
    persona: Persona | None
    form: dict[str, str] | None = None  # static POST fields
    scores: list[tuple[str, int]] = field(default_factory=list)  # field, max hundredths
    report_id: int | None = None


@dataclass
class Page:
    key: str
    title: str
    method: str = "GET"
    expected: int = 200
    targets: list[Target] = field(default_factory=list)
    skipped: str = ""  # why the page is not measured

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "method": self.method,
            "expected": self.expected,
            "path": self.targets[0].path if self.targets else "",
            "persona": self.targets[0].persona.key
            if self.targets and self.targets[0].persona
            else "anonymous",
            "targets": len(self.targets),
            "skipped": self.skipped,
        }


@dataclass
class Plan:
    pages: list[Page]
    personas: dict[str, Persona]
    csrf: str
    cluster_code: str
    year_label: str
    notes: list[str] = field(default_factory=list)

    def cookie_header(self, persona: Persona | None) -> str:
        values = persona.cookies(self.csrf) if persona else {}
        return "; ".join(f"{k}={v}" for k, v in values.items())

    def job_targets(self, page: Page) -> list[dict]:
        """The targets of ``page`` as the load generators take them."""
        out = []
        for target in page.targets:
            cookie = self.cookie_header(target.persona)
            entry = {"path": target.path, "headers": {"Cookie": cookie} if cookie else {}}
            if page.method == "POST":
                entry["form"] = "&".join(f"{k}={v}" for k, v in (target.form or {}).items())
                entry["scores"] = [list(item) for item in target.scores]
            out.append(entry)
        return out


def _session_for(user) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = SESSION_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(timedelta(days=1))
    session.create()
    return session.session_key


def delete_sessions(plan: Plan) -> None:
    from django.contrib.sessions.models import Session

    keys = [p.session_key for p in plan.personas.values() if p.session_key]
    Session.objects.filter(session_key__in=keys).delete()


def _url(name: str, **kwargs) -> tuple[str, str]:
    """(path, "") or ("", why it is skipped)."""
    try:
        return reverse(name, kwargs=kwargs), ""
    except NoReverseMatch as error:
        return "", f"URL name {name!r} does not resolve ({error})"


def build_plan() -> Plan:
    """The pages and personas of the generated data in the current database."""
    from accounts.enums import Role
    from accounts.models import User
    from cluster.models import Cluster, EmulationYear
    from cluster.selectors import members_of_year
    from evaluations.models import AnnualReport, Assignment

    cluster = Cluster.objects.get(code=FIRST_CLUSTER)
    year = EmulationYear.objects.filter(cluster=cluster).order_by("-start_date").first()
    schools = list(members_of_year(year))
    first, scorer = schools[0], schools[SCORER_INDEX]
    users = {
        "secretariat": User.objects.filter(role=Role.SECRETARIAT, cluster=cluster)
        .order_by("pk")
        .first(),
        "representative": User.objects.filter(role=Role.REPRESENTATIVE, school=scorer)
        .order_by("pk")
        .first(),
        "observer": User.objects.get(email=f"bench-observer@{EMAIL_DOMAIN}"),
        "admin": User.objects.get(email=f"bench-admin@{EMAIL_DOMAIN}"),
    }
    personas = {key: Persona(key, user, _session_for(user)) for key, user in users.items()}
    plan = Plan(
        pages=[],
        personas=personas,
        csrf=secrets.token_hex(16),  # 32 characters: an unmasked CSRF secret
        cluster_code=cluster.code,
        year_label=year.label,
    )
    year_kwargs = {"code": cluster.code, "label": year.label}

    def page(key, title, name, persona, **kwargs):
        path, skipped = _url(name, **kwargs)
        targets = [Target(path=path, persona=personas.get(persona))] if path else []
        plan.pages.append(Page(key=key, title=title, targets=targets, skipped=skipped))

    page("floor", "floor (bare Django view, no query)", "bench_floor", None)
    for persona in ("secretariat", "representative", "observer", "admin"):
        page(f"dashboard_{persona}", f"dashboard ({persona})", "dashboard", persona)
    page("year", "cluster year page", "cluster:year", "secretariat", **year_kwargs)
    report = AnnualReport.objects.get(year=year, school=first)
    page("report", "report page (100 criteria)", "evaluations:report", "secretariat", pk=report.pk)
    assignment = Assignment.objects.get(year=year, scorer=scorer, target=first)
    page(
        "scoring",
        "scoring page (one school, 100 criteria)",
        "evaluations:scoring_assignment",
        "representative",
        pk=assignment.pk,
    )
    page("ranking", "ranking page", "evaluations:scoring_results", "secretariat", **year_kwargs)
    page(
        "summary_xlsx",
        "score summary export (.xlsx)",
        "evaluations:scoring_results_xlsx",
        "secretariat",
        **year_kwargs,
    )
    plan.pages.append(_report_post(plan, year))
    for item in plan.pages:
        if item.skipped:
            plan.notes.append(f"{item.key}: skipped, {item.skipped}")
    return plan


def _report_post(plan: Plan, year) -> Page:
    """POST of 100 scores to the report form (``action=save``, the draft save a submission
    starts with), rotating over the reports of schools 2… of clusters 1 and 2."""
    from accounts.enums import Role
    from accounts.models import User
    from cluster.selectors import members_of_year
    from evaluations.models import AnnualReport, Criterion

    page = Page(
        key="report_post",
        title="report submission (POST of 100 scores)",
        method="POST",
        expected=302,
    )
    try:
        reverse("evaluations:report", kwargs={"pk": 1})
    except NoReverseMatch as error:
        page.skipped = f"URL name 'evaluations:report' does not resolve ({error})"
        return page
    from cluster.models import EmulationYear

    years = list(
        EmulationYear.objects.filter(cluster__code__startswith="BC", label=year.label)
        .select_related("cluster")
        .order_by("cluster__code")[:2]
    )
    for target_year in years:
        criteria = list(
            Criterion.objects.filter(table__year=target_year, parent__isnull=False).order_by("pk")
        )
        scores = [(f"score-{c.pk}", int(c.max_points * 100)) for c in criteria]
        for school in list(members_of_year(target_year))[1:]:
            if len(page.targets) >= POST_TARGETS:
                break
            user = (
                User.objects.filter(role=Role.REPRESENTATIVE, school=school).order_by("pk").first()
            )
            report = AnnualReport.objects.get(year=target_year, school=school)
            key = f"post_{school.code}"
            persona = Persona(key, user, _session_for(user))
            plan.personas[key] = persona
            page.targets.append(
                Target(
                    path=reverse("evaluations:report", kwargs={"pk": report.pk}),
                    persona=persona,
                    form={"csrfmiddlewaretoken": plan.csrf, "action": "save"},
                    scores=scores,
                    report_id=report.pk,
                )
            )
    return page


class OpenReports:
    """The reports a POST writes to are returned to their schools for the measurement (so
    their representatives may edit them) and put back as they were afterwards: status,
    scores, and no history rows left behind."""

    def __init__(self, page: Page) -> None:
        self.report_ids = [t.report_id for t in page.targets if t.report_id]

    def __enter__(self) -> OpenReports:
        from evaluations.enums import SubmissionStatus
        from evaluations.models import AnnualReport, SelfScore

        self.started = timezone.now()
        reports = AnnualReport.objects.filter(pk__in=self.report_ids)
        self.statuses = dict(reports.values_list("pk", "status"))
        self.scores = list(
            SelfScore.objects.filter(report_id__in=self.report_ids).values_list(
                "pk", "points", "explanation"
            )
        )
        reports.update(status=SubmissionStatus.RETURNED)
        return self

    def __exit__(self, *exc_info) -> None:
        from evaluations.models import AnnualReport, SelfScore

        for pk, status in self.statuses.items():
            AnnualReport.objects.filter(pk=pk).update(status=status)
        rows = [
            SelfScore(pk=pk, points=points, explanation=text) for pk, points, text in self.scores
        ]
        SelfScore.objects.bulk_update(rows, ["points", "explanation"], batch_size=2000)
        SelfScore.objects.filter(report_id__in=self.report_ids).exclude(
            pk__in=[row.pk for row in rows]
        ).delete()
        SelfScore.history.filter(
            report_id__in=self.report_ids, history_date__gte=self.started
        ).delete()
        AnnualReport.history.filter(id__in=self.report_ids, history_date__gte=self.started).delete()
