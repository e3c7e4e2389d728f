import pytest
from huey.contrib.djhuey import HUEY

from kehu.core.notifications import sms


@pytest.fixture(autouse=True)
def _clean_outboxes_and_queue():
    """Each test starts with no SMS sent, no failing-gateway counters and an empty job schedule."""
    from kehu.core.notifications.tests import backends

    sms.outbox.clear()
    backends.reset()
    HUEY.flush()
    yield
    sms.outbox.clear()
    HUEY.flush()


@pytest.fixture
def no_webhooks(settings):
    settings.KEHU_WECOM_WEBHOOK_URL = ""
    settings.KEHU_DINGTALK_WEBHOOK_URL = ""
    settings.KEHU_DINGTALK_SECRET = ""
