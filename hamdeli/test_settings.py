"""Settings for the test suite: the real settings with fast, isolated pieces swapped in."""

import tempfile

from .settings import *  # noqa: F403
from .settings import STORAGES

# Tests run tasks in-process and deterministically even when a broker is configured;
# /healthz still reports on the configured broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "core.notifications.backends.MemoryBackend"
SMS_INBOUND_SECRET = "test-gateway-secret"  # noqa: S105 (the callback URL of the tests)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="hamdeli-test-media-")
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Serve static files from the app folders without `collectstatic` (the browser tests need the fonts).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The live server's request threads must not keep connections open, or PostgreSQL
# refuses to drop the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Online giving pays through the project's mock bank (donors/online/mock_bank.py), whatever DEBUG says.
ONLINE_GIVING_GATEWAY = "mock"
