"""Reminders: planning (who gets what today), the outbox, sending, notifications.

Planning is idempotent: every reminder has a ``ReminderLog`` with a unique key, created in
the same transaction as its outbox messages and notifications; a reminder already logged is
skipped, and when two scans race the database's unique constraint lets one win. Messages
are queued to Celery only after that transaction commits.

Sending is at most once per message while the mail server answers: a worker claims a
queued message with a conditional update (queued → sending), and marks it sent only after
the mail backend returned. A failure puts it back to queued with the reason, for the
task's retries; after the last retry it is failed, and the secretariat can retry it.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.enums import RoundStatus
from awards.models import VotingRound
from cluster.models import EmulationYear, Phase, School
from cluster.selectors import members_of_year

from . import content, selectors
from .enums import OFFSET_LATE_LIST, OFFSET_MANUAL, DeadlineKind, OutboxStatus, ReminderKind
from .models import Notification, OutboxMessage, ReminderLog
from .selectors import PendingItem

logger = logging.getLogger(__name__)

SCHEDULE_TASK_NAME = "Quét hạn chót và gửi nhắc việc"
SCAN_TASK = "notifications.tasks.scan_deadlines"
# A message left in "sending" this long was abandoned by a worker that died mid-send.
SENDING_STALE_AFTER = dt.timedelta(minutes=15)
# A queued message with no attempt for this long lost its task (e.g. the broker was down).
QUEUED_STALE_AFTER = dt.timedelta(hours=2)


@dataclass
class PlanSummary:
    reminders: int = 0
    late_lists: int = 0
    messages: int = 0
    already_planned: int = 0
    errors: int = 0


# --- planning ----------------------------------------------------------------------------


def plan_reminders(*, today: dt.date | None = None) -> PlanSummary:
    """Plan every reminder due ``today`` (default: the local date): for each deadline
    (pledge, report, cross-scoring, ballot) and each member school that has not finished,
    a reminder when the school's deadline minus an offset of the policy is today; and the
    late list for the secretariat when today is the day after a deadline.

    Idempotent: running it again the same day (or concurrently) plans nothing new.
    """
    today = today or timezone.localdate()
    summary = PlanSummary()
    policies: dict[int, selectors.Policy] = {}

    def policy_of(year: EmulationYear) -> selectors.Policy:
        if year.pk not in policies:
            policies[year.pk] = selectors.policy_for(year)
        return policies[year.pk]

    for phase in selectors.watched_phases(today):
        policy = policy_of(phase.year)
        if policy.enabled:
            _plan_for_items(
                selectors.pending_for_phase(phase), policy=policy, today=today, summary=summary
            )
    for voting_round in selectors.watched_rounds(today):
        policy = policy_of(voting_round.year)
        if not policy.enabled:
            continue
        items = selectors.pending_for_round(voting_round)
        # A closed round gets no more reminders, only its late list.
        is_open = voting_round.status == RoundStatus.OPEN
        _plan_for_items(
            items if is_open else [],
            policy=policy,
            today=today,
            summary=summary,
            late_items=items,
        )
    return summary


def _plan_for_items(
    items: list[PendingItem],
    *,
    policy: selectors.Policy,
    today: dt.date,
    summary: PlanSummary,
    late_items: list[PendingItem] | None = None,
) -> None:
    for item in items:
        days_left = item.days_left(today)
        if days_left in policy.offsets:
            _guarded(
                summary,
                lambda item=item, days_left=days_left: _plan_reminder(
                    item=item, today=today, offset=str(days_left)
                ),
                late=False,
                what=f"{item.deadline_kind} {item.school.code} {item.deadline}",
            )
    if not policy.send_late_list:
        return
    late_by_deadline: dict[dt.date, list[PendingItem]] = defaultdict(list)
    for item in items if late_items is None else late_items:
        if item.days_left(today) == -1:
            late_by_deadline[item.deadline].append(item)
    for deadline, late in late_by_deadline.items():
        _guarded(
            summary,
            lambda late=late, deadline=deadline: _plan_late_list(
                items=late, deadline=deadline, today=today
            ),
            late=True,
            what=f"late list {late[0].deadline_kind} {deadline}",
        )


def _guarded(summary: PlanSummary, plan, *, late: bool, what: str) -> None:
    """Plan one reminder; a failure is logged and counted, and does not stop the others
    (its transaction is rolled back, so running the scan again retries it)."""
    try:
        planned = plan()
    except Exception:
        logger.exception("Reminder not planned: %s", what)
        summary.errors += 1
        return
    _count(summary, planned, late=late)


def _count(summary: PlanSummary, planned: int | None, *, late: bool) -> None:
    if planned is None:
        summary.already_planned += 1
        return
    if late:
        summary.late_lists += 1
    else:
        summary.reminders += 1
    summary.messages += planned


def _key(
    *,
    kind: str,
    deadline_kind: str,
    year: EmulationYear,
    voting_round_id: int | None,
    school: School | None,
    deadline: dt.date,
    offset: str,
    moment: dt.datetime | None = None,
) -> str:
    scope = f"r{voting_round_id}" if voting_round_id else f"y{year.pk}"
    parts = [
        kind,
        deadline_kind,
        scope,
        str(school.pk) if school else "-",
        deadline.isoformat(),
        offset,
    ]
    if moment is not None:
        parts.append(moment.isoformat())
    return "|".join(parts)


def _already_planned(key: str) -> bool:
    return ReminderLog.objects.filter(key=key).exists()


def _record(
    *,
    key: str,
    kind: str,
    deadline_kind: str,
    year: EmulationYear,
    voting_round_id: int | None,
    school: School | None,
    deadline: dt.date,
    offset: str,
    build_messages,
    by=None,
) -> int | None:
    """Create the log and its messages and notifications atomically; queue the messages
    after commit. Returns the number of messages, or None when the key was already logged
    (by an earlier run, or by a concurrent one that won the race)."""
    if _already_planned(key):
        return None
    try:
        with transaction.atomic():
            log = ReminderLog.objects.create(
                key=key,
                kind=kind,
                deadline_kind=deadline_kind,
                cluster=year.cluster,
                year=year,
                voting_round_id=voting_round_id,
                school=school,
                deadline=deadline,
                offset=offset,
                created_by=by,
            )
            messages = build_messages(log)
    except IntegrityError:
        # Either the key (a concurrent run committed it first: skip) or a real error.
        if ReminderLog.objects.filter(key=key).exists():
            logger.info("Reminder %s was planned concurrently; skipped", key)
            return None
        raise
    return len(messages)


def _create_message(
    *,
    log: ReminderLog,
    rendered: content.Rendered,
    to_email: str,
    language: str,
    recipient=None,
    school: School | None,
    url: str,
) -> OutboxMessage:
    """One outbox message (and its notification when the recipient is a user); queued to
    the worker when the transaction commits."""
    message = OutboxMessage.objects.create(
        log=log,
        kind=log.kind,
        cluster_id=log.cluster_id,
        year_id=log.year_id,
        school=school,
        recipient=recipient,
        to_email=to_email,
        language=language,
        subject=rendered.subject[:300],
        body_text=rendered.text,
        body_html=rendered.html,
    )
    if recipient is not None:
        Notification.objects.create(
            user=recipient,
            title=rendered.subject[:300],
            body=rendered.summary,
            url=url,
            message=message,
        )
    queue_message(message)
    return message


def queue_message(message: OutboxMessage) -> None:
    """Hand the message to a worker once the current transaction commits. ``robust``: a
    broker that is down must not undo the planning; the message stays queued and the next
    scan requeues it (``requeue_stalled_messages``)."""
    _send_after_commit(message.pk)


def _send_after_commit(message_id: int) -> None:
    from .tasks import send_outbox_message

    # A named function, not a partial: Django logs a failing robust hook by __qualname__.
    def queue_outbox_message() -> None:
        send_outbox_message.delay(message_id)

    transaction.on_commit(queue_outbox_message, robust=True)


def _plan_reminder(*, item: PendingItem, today: dt.date, offset: str, by=None) -> int | None:
    voting_round_id = item.voting_round.pk if item.voting_round is not None else None
    key = _key(
        kind=item.deadline_kind,
        deadline_kind=item.deadline_kind,
        year=item.year,
        voting_round_id=voting_round_id,
        school=item.school,
        deadline=item.deadline,
        offset=offset,
        moment=timezone.now() if offset == OFFSET_MANUAL else None,
    )

    def build(log: ReminderLog) -> list[OutboxMessage]:
        path = content.item_path(item)
        messages = []
        recipients = list(selectors.representatives_of(item.school))
        for user in recipients:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                rendered = content.render_reminder(
                    item=item, today=today, recipient_name=user.get_full_name()
                )
            messages.append(
                _create_message(
                    log=log,
                    rendered=rendered,
                    to_email=user.email,
                    language=user.language,
                    recipient=user,
                    school=item.school,
                    url=path,
                )
            )
        if not recipients and item.school.email:
            # Nobody represents the school (yet): its own address gets the reminder.
            with translation.override(settings.LANGUAGE_CODE):
                rendered = content.render_reminder(
                    item=item, today=today, recipient_name=item.school.name, to_school=True
                )
            messages.append(
                _create_message(
                    log=log,
                    rendered=rendered,
                    to_email=item.school.email,
                    language=settings.LANGUAGE_CODE,
                    school=item.school,
                    url=path,
                )
            )
        return messages

    return _record(
        key=key,
        kind=item.deadline_kind,
        deadline_kind=item.deadline_kind,
        year=item.year,
        voting_round_id=voting_round_id,
        school=item.school,
        deadline=item.deadline,
        offset=offset,
        build_messages=build,
        by=by,
    )


def _plan_late_list(*, items: list[PendingItem], deadline: dt.date, today: dt.date) -> int | None:
    first = items[0]
    year = first.year
    voting_round = first.voting_round
    voting_round_id = voting_round.pk if voting_round is not None else None
    items = sorted(items, key=lambda i: i.school.name)
    key = _key(
        kind=ReminderKind.LATE_LIST,
        deadline_kind=first.deadline_kind,
        year=year,
        voting_round_id=voting_round_id,
        school=None,
        deadline=deadline,
        offset=OFFSET_LATE_LIST,
    )

    def build(log: ReminderLog) -> list[OutboxMessage]:
        path = content.late_list_path(first.deadline_kind, year, voting_round)
        messages = []
        for user in selectors.secretariat_of(year.cluster):
            with translation.override(user.language or settings.LANGUAGE_CODE):
                rendered = content.render_late_list(
                    deadline_kind=first.deadline_kind,
                    year=year,
                    deadline=deadline,
                    items=items,
                    today=today,
                    recipient_name=user.get_full_name(),
                    voting_round=voting_round,
                )
            messages.append(
                _create_message(
                    log=log,
                    rendered=rendered,
                    to_email=user.email,
                    language=user.language,
                    recipient=user,
                    school=None,
                    url=path,
                )
            )
        return messages

    return _record(
        key=key,
        kind=ReminderKind.LATE_LIST,
        deadline_kind=first.deadline_kind,
        year=year,
        voting_round_id=voting_round_id,
        school=None,
        deadline=deadline,
        offset=OFFSET_LATE_LIST,
        build_messages=build,
    )


def send_reminder_now(
    *,
    year: EmulationYear,
    school: School,
    deadline_kind: str,
    by,
    today: dt.date | None = None,
) -> int:
    """A reminder sent by hand to one school for one deadline, outside the schedule.
    Logged with offset "manual" and a timestamp, so it never blocks a scheduled one.
    Returns the number of messages; ValidationError (by field) when there is nothing to
    remind."""
    today = today or timezone.localdate()
    if not members_of_year(year).filter(pk=school.pk).exists():
        raise ValidationError(
            {
                "school": _("%(school)s is not a member in %(year)s.")
                % {"school": school.name, "year": year.label}
            }
        )
    items = _pending_now(year=year, school=school, deadline_kind=deadline_kind)
    if not items:
        raise ValidationError(
            {
                "kind": _("%(school)s has nothing missing for this deadline.")
                % {"school": school.name}
            }
        )
    with transaction.atomic():
        count = sum(
            _plan_reminder(item=item, today=today, offset=OFFSET_MANUAL, by=by) or 0
            for item in items
        )
        if count == 0:
            # Nothing would be sent: undo the log rather than record a silent reminder.
            raise ValidationError(
                {
                    "school": _(
                        "%(school)s has no active representative and no email address: "
                        "nobody can be reminded."
                    )
                    % {"school": school.name}
                }
            )
    return count


def _pending_now(*, year: EmulationYear, school: School, deadline_kind: str) -> list[PendingItem]:
    if deadline_kind == DeadlineKind.BALLOT:
        rounds = VotingRound.objects.filter(year=year, status=RoundStatus.OPEN).select_related(
            "year__cluster"
        )
        items = [i for r in rounds for i in selectors.pending_for_round(r, school=school)]
        if not items and not rounds:
            raise ValidationError({"kind": _("No voting round of this year is open.")})
        return items
    phase_kind = selectors.PHASE_KIND_OF.get(deadline_kind)
    if phase_kind is None:
        raise ValidationError({"kind": _("Choose a deadline.")})
    phase = Phase.objects.filter(year=year, kind=phase_kind).select_related("year__cluster")
    phase = phase.first()
    if phase is None:
        raise ValidationError(
            {"year": _("%(year)s has no deadline for this phase.") % {"year": year.label}}
        )
    return selectors.pending_for_phase(phase, school=school)


# --- sending -----------------------------------------------------------------------------


class PermanentMailError(Exception):
    """The mail server refused the message for good (e.g. an unknown recipient)."""


def describe_error(error: BaseException) -> str:
    """What went wrong, in plain words for the secretariat, with the technical detail."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        plain = _("The mail server refused the recipient's address.")
    elif isinstance(error, smtplib.SMTPAuthenticationError):
        plain = _("The mail server refused our login; check the email settings.")
    elif isinstance(error, smtplib.SMTPServerDisconnected):
        plain = _("The mail server closed the connection.")
    elif isinstance(error, smtplib.SMTPException):
        plain = _("The mail server answered with an error.")
    elif isinstance(error, TimeoutError):
        plain = _("The mail server did not answer in time.")
    elif isinstance(error, ConnectionError | OSError):
        plain = _("The mail server cannot be reached.")
    else:
        plain = _("Sending failed.")
    return f"{plain} ({_technical_detail(error)})"[:2000]


def _technical_detail(error: BaseException) -> str:
    """The server's own words: "550 No such user" rather than a Python tuple."""

    def text(value) -> str:
        return value.decode(errors="replace") if isinstance(value, bytes) else str(value)

    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {text(message)}"
            for address, (code, message) in error.recipients.items()
        )
    return str(error).strip() or error.__class__.__name__


def _claim(message_id: int, now: dt.datetime) -> bool:
    """queued → sending, atomically: of two workers, only one gets the message. A message
    stuck in "sending" (its worker died) can be claimed again after a while."""
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.QUEUED).update(
        status=OutboxStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    if claimed:
        return True
    return bool(
        OutboxMessage.objects.filter(
            pk=message_id,
            status=OutboxStatus.SENDING,
            last_attempt_at__lt=now - SENDING_STALE_AFTER,
        ).update(attempts=F("attempts") + 1, last_attempt_at=now)
    )


def deliver_outbox_message(*, message_id: int, final_attempt: bool = False) -> bool:
    """Send one outbox message. Returns True when it was sent now, False when there was
    nothing to do (already sent, failed for good, or another worker has it).

    On a mail server error the message goes back to ``queued`` with the reason and the
    error is raised again for the task to retry; on the ``final_attempt`` (or a permanent
    refusal) it becomes ``failed``.
    """
    now = timezone.now()
    if not _claim(message_id, now):
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    email = EmailMultiAlternatives(
        message.subject,
        message.body_text,
        to=[message.to_email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        email.send(fail_silently=False)
    except Exception as error:
        permanent = isinstance(error, smtplib.SMTPRecipientsRefused)
        with translation.override(settings.LANGUAGE_CODE):
            reason = describe_error(error)
        status = OutboxStatus.FAILED if (final_attempt or permanent) else OutboxStatus.QUEUED
        OutboxMessage.objects.filter(pk=message_id).update(status=status, last_error=reason)
        logger.warning("Outbox message %s not sent (%s): %s", message_id, status, reason)
        if permanent:
            return False
        raise
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def retry_message(*, message: OutboxMessage, by=None) -> None:
    """Put a failed message back in the queue and hand it to a worker."""
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.QUEUED
        )
        if not updated:
            raise ValidationError(_("Only a failed message can be sent again."))
        queue_message(message)


def requeue_stalled_messages(*, now: dt.datetime | None = None) -> int:
    """Queue again the messages whose task was lost (queued long ago and not attempted
    recently, or abandoned in "sending"). Sending stays safe: a worker claims a message
    before sending it, so a message queued twice is still sent once."""
    now = now or timezone.now()
    stale = OutboxMessage.objects.filter(
        status=OutboxStatus.QUEUED, created_at__lt=now - QUEUED_STALE_AFTER
    ).exclude(last_attempt_at__gte=now - QUEUED_STALE_AFTER)
    abandoned = OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING, last_attempt_at__lt=now - SENDING_STALE_AFTER
    )
    ids = list(stale.values_list("pk", flat=True)) + list(abandoned.values_list("pk", flat=True))
    for message_id in ids:
        _send_after_commit(message_id)
    return len(ids)


# --- notifications -----------------------------------------------------------------------


def mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- schedule ----------------------------------------------------------------------------


def ensure_reminder_schedule() -> tuple[object, bool]:
    """The daily scan in django-celery-beat, at 07:00 Asia/Ho_Chi_Minh. Idempotent: an
    existing task (perhaps edited in the admin) is left as it is. Returns (task, created)."""
    from zoneinfo import ZoneInfo

    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    existing = PeriodicTask.objects.filter(name=SCHEDULE_TASK_NAME).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        schedule, _created = CrontabSchedule.objects.get_or_create(
            minute="0",
            hour="7",
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=ZoneInfo(settings.TIME_ZONE),
        )
        task, created = PeriodicTask.objects.get_or_create(
            name=SCHEDULE_TASK_NAME,
            defaults={
                "task": SCAN_TASK,
                "crontab": schedule,
                "description": (
                    "Mỗi ngày: gửi nhắc việc cho các trường chưa hoàn thành trước hạn chót "
                    "và gửi danh sách trường chậm hạn cho thư ký cụm (notifications)."
                ),
            },
        )
    return task, created
