"""Helpers shared by the accounts tests."""

from __future__ import annotations

import re

from django.core import mail

INVITATION_LINK = re.compile(r"https?://[^\s\"<>]+/accounts/invitation/([A-Za-z0-9_-]+)/")


def invitation_token_from_outbox(index: int = -1) -> str:
    """The token of the invitation link in the text part of an email in the outbox."""
    match = INVITATION_LINK.search(mail.outbox[index].body)
    assert match, mail.outbox[index].body
    return match.group(1)


def html_part(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")
