"""``{% document_request_allowed kind year as allowed %}``: may the current user ask for
this kind of document for this year (the same predicate as the request view)."""

from __future__ import annotations

from django import template

from ..rules import DocumentTarget

register = template.Library()


@register.simple_tag(takes_context=True)
def document_request_allowed(context, kind: str, year) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or year is None:
        return False
    return user.has_perm("documents.request_document", DocumentTarget(kind, year))
