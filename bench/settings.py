"""Settings for the benchmarks only: the project's settings plus a query counter and an empty page.

``bench/pages.py`` and ``bench/load.py`` start gunicorn with
``DJANGO_SETTINGS_MODULE=bench.settings``; production never loads this module.
"""

import os

from hamdeli.settings import *  # noqa: F403
from hamdeli.settings import CACHES, DATABASES, MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# Outermost, so the session and user lookups of the other middleware are counted too.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
# The benchmark times hundreds of API requests from one address: above the public per-address limit.
HAMDELI_OPEN_DATA_RATE = "100000/m"

# bench/load.py --without-daily-tracking (a diagnosis, see bench/apps.py): the reports room's tracking disconnected.
if os.environ.get("HAMDELI_BENCH_DAILY_TRACKING") == "0":
    INSTALLED_APPS = [*INSTALLED_APPS, "bench.apps.WithoutDailyTrackingConfig"]  # noqa: F405
# Benchmarks on different databases may share one Redis: keep their cached sessions and users apart.
CACHES["default"]["KEY_PREFIX"] = DATABASES["default"]["NAME"]
