"""Celery tasks of the evaluations app (workers autodiscover ``<app>.tasks``)."""

from .tasks_scoring import *  # noqa: F401,F403
