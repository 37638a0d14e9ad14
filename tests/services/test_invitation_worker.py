"""An invitation email sent by a REAL Celery worker (another process) through Redis.

.ci/run starts the worker on pytest-django's test database with the file email backend;
both processes share EMAIL_FILE_PATH. Skipped without a Redis broker.
"""

from __future__ import annotations

import email
import os
import re
import time
from pathlib import Path

import pytest
from django.conf import settings

from accounts import services
from accounts.enums import Role
from accounts.models import Invitation
from accounts.selectors import hash_token
from tests import factories as f

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"(https?://\S+?/accounts/invitation/([A-Za-z0-9_-]+)/)")


def _mail_texts(directory: Path) -> list[str]:
    """Decoded text parts of every message the file backend wrote."""
    texts = []
    for path in sorted(directory.glob("*.log")):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw)
            for part in message.walk():
                if part.get_content_type() in ("text/plain", "text/html"):
                    payload = part.get_payload(decode=True) or b""
                    texts.append(payload.decode(part.get_content_charset() or "utf-8"))
    return texts


def test_worker_sends_invitation_email_with_working_link():
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        pytest.skip(
            "needs a Redis broker and a Celery worker on the test database "
            "(CELERY_BROKER_URL=redis://…; .ci/run starts them)"
        )
    admin = f.UserFactory(
        email="admin-worker@example.vn", role=Role.ADMIN, is_staff=True, is_superuser=True
    )
    school = f.SchoolFactory(code="WRK", name="Trường Chính trị Worker")
    invitation = services.invite_user(
        invited_by=admin,
        email="worker-invite@example.vn",
        full_name="Người Được Mời",
        role=Role.REPRESENTATIVE,
        school=school,
    )

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        invitation = Invitation.objects.get(pk=invitation.pk)
        if invitation.sent_at is not None:
            break
        time.sleep(0.5)
    assert invitation.sent_at is not None, "the worker did not send the invitation in 60 s"

    texts = [t for t in _mail_texts(Path(settings.EMAIL_FILE_PATH)) if "worker-invite" in t]
    links = {match.group(1): match.group(2) for t in texts for match in LINK.finditer(t)}
    assert links, "no invitation link in the mails written by the worker"
    link, token = next(iter(links.items()))
    assert link == f"{settings.SITE_URL}/accounts/invitation/{token}/"
    # The link in the mail is the one the database accepts.
    assert hash_token(token) == invitation.token_hash
