"""The floor: the cheapest page Django can serve here (the whole middleware stack, a small
template, no query). Every page's p95 is printed as a multiple of the floor's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines

FLOOR_TEMPLATE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>
</body></html>
"""

_template = None


def floor(request: HttpRequest) -> HttpResponse:
    global _template
    if _template is None:  # compiled once per process, like the cached template loader
        _template = engines["django"].from_string(FLOOR_TEMPLATE)
    html = _template.render({"title": "Bench floor", "items": ["một", "hai", "ba"]})
    return HttpResponse(html)
