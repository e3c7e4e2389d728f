"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

pytest_plugins = ["kehu.testing.browser"]


@pytest.fixture
def personas(db):
    from kehu.testing.personas import create_personas

    return create_personas()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (zh-hans), whatever the previous one activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Attachments and other files go to a fresh folder per test, never into ./var."""
    settings.KEHU_ATTACHMENT_ROOT = tmp_path / "attachments"
    settings.MEDIA_ROOT = tmp_path / "media"


def login(client, user):
    client.force_login(user)
    return client

