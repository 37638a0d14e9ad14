from __future__ import annotations

import math
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes, rounded up (15 for axes' 0.25 hour)."""
    if not isinstance(value, timedelta):
        return 0
    return math.ceil(value.total_seconds() / 60)
