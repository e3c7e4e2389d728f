import pytest

from kehu.core.numbering import registry


@pytest.fixture
def isolated_registry(monkeypatch):
    """Registrations made by a test vanish after it; the app's own stay visible."""
    monkeypatch.setattr(registry, "_PATTERNS", dict(registry._PATTERNS))
