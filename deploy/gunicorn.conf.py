"""Gunicorn settings for Hamdeli's web processes (``gunicorn -c deploy/gunicorn.conf.py hamdeli.wsgi``).

Every value can be overridden from the environment (``/etc/hamdeli/env`` or
the compose ``.env``), so one file serves a small VPS and a large web machine.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


wsgi_app = "hamdeli.wsgi:application"

# nginx (or the load balancer) proxies here; 0.0.0.0 in a container, 127.0.0.1 behind a local nginx.
bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"

# Sync workers: the pages are short database round-trips; PDFs are made by Celery, not here.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
# A request that takes longer than this is stuck; the worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never grows; jitter keeps them from restarting together.
# A worker is replaced after this many requests (a leak cannot grow for ever). Replacing one costs about 2.5 s
# of CPU (importing the project, then warming up): at 2,000 the evening peak replaced a worker every few seconds
# and the empty view fell from 380 to 200 requests a second (bench/load.py, 2026-12-07), hence 20,000.
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 2000)

# Logs to stdout/stderr: journald (systemd) or `docker compose logs` collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Trust X-Forwarded-* only from the proxy in front of us (nginx on this machine by default;
# in compose or behind a load balancer set it to the proxy's address or network).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
proxy_allow_ips = forwarded_allow_ips

# No control socket (gunicorn 25.1+ opens one in $HOME for `gunicornc` by default): systemd reloads with HUP,
# and two gunicorns of one user (a bench next to the site) would fight over the same path.
control_socket_disable = True
