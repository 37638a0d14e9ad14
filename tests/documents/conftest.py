"""Fixtures of the documents tests: the world of ``support.build_world`` and a private
MEDIA_ROOT (generated files never land in the project's media)."""

from __future__ import annotations

import pytest

from .support import build_world


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(cluster4):
    return build_world(cluster4)
