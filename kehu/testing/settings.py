"""Test settings: the real settings plus a test-only scoped model and fast hashing.

Only what a test run needs differs; every other knob is the production one.
"""

from kehu.settings import *  # noqa: F403
from kehu.settings import HUEY, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "kehu.testing.scoped"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}

# The demo's size in tests: 8 customers per demo salesperson instead of about 2,000 in all.
KEHU_DEMO_CUSTOMERS = 56
