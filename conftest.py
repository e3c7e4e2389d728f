"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest


@pytest.fixture
def personas(db):
    from kehu.testing.personas import create_personas

    return create_personas()


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Attachments and other files go to a fresh folder per test, never into ./var."""
    settings.KEHU_ATTACHMENT_ROOT = tmp_path / "attachments"
    settings.MEDIA_ROOT = tmp_path / "media"


def login(client, user):
    client.force_login(user)
    return client


def pytest_ignore_collect(collection_path, config):
    """An app folder whose app is not installed (work in progress) is not collected."""
    from django.conf import settings

    parts = collection_path.parts
    if "kehu" in parts and "customers" in parts and "kehu.customers" not in settings.INSTALLED_APPS:
        return True
    return None
