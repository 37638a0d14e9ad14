"""Celery application.

With CELERY_BROKER_URL unset (the default on a fresh machine) tasks run in-process
(eager); with it set they go to the broker and real workers run them.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("thidua")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
