"""What the page and load benchmarks share: a throwaway PostgreSQL database, Django, gunicorn, HTTP and sessions.

The benchmarks run the production profile (``DEBUG=0``) over plain HTTP on
127.0.0.1, so the HTTPS-only settings are turned off in the environment;
the bench process and the gunicorn workers share one ``SECRET_KEY`` so a
session made here is valid there.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-never-used-in-production-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_MANIFEST": "0",
    "LOG_LEVEL": "WARNING",
    # As deployed (deploy/.env.example): a Redis cache shared by the web processes, so sessions and the signed-in
    # user are read from it (core.user_cache). bench/settings.py prefixes its keys with the database's name, so two
    # benchmarks on two databases never read each other's users.
    "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
}


def prepare_database(database_url: str) -> None:
    """Drop and recreate the database named in ``database_url``; point this process (and its children) at it."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name or not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"Give a database name of letters, digits and _ in the URL, not {database_url!r}.")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = database_url
    forget_cached_copies(name)


def forget_cached_copies(database_name: str) -> None:
    """Drop the cached sessions and users of an earlier run on a database of this name (its rows are gone)."""
    import redis

    client = redis.Redis.from_url(BENCH_ENV["CACHE_URL"], socket_connect_timeout=2)
    keys = list(client.scan_iter(match=f"{database_name}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


def setup_django() -> None:
    for key, value in BENCH_ENV.items():
        os.environ[key] = value
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def manage(*args: str, env_overrides: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``manage.py`` in a child process against the same database; returns (exit code, output)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hamdeli.settings", **(env_overrides or {})}
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return done.returncode, (done.stdout + done.stderr).strip()


def session_cookie(user, *, csrf: bool = False) -> str:
    """A logged-in session for ``user``, stored in the bench database like a real login would store it.

    With ``csrf`` the cookie header also carries a CSRF cookie, as a browser holds one from its first page on:
    without it every page that draws a form makes a new CSRF secret and sets the cookie again (issue 20's
    signed-in floor measured that before 2026-12-08).
    """
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    if not csrf:
        return cookie
    return f"{cookie}; {settings.CSRF_COOKIE_NAME}={get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    ms: float
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def queries(self) -> int | None:
        value = self.headers.get("x-bench-queries")
        return int(value) if value is not None else None


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookie: str = "",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> Response:
    """One HTTP request on a new connection (gunicorn's sync workers close it after each response)."""
    all_headers = {"Host": "127.0.0.1", **(headers or {})}
    if cookie:
        all_headers["Cookie"] = cookie
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=all_headers)
        raw = conn.getresponse()
        content = raw.read()
        result_headers = {name.lower(): value for name, value in raw.getheaders()}
        jar = SimpleCookie()
        for value in raw.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        status = raw.status
    finally:
        conn.close()
    elapsed = (time.perf_counter() - started) * 1000
    return Response(status, result_headers, content, elapsed, {name: morsel.value for name, morsel in jar.items()})


@dataclass
class Server:
    """gunicorn (sync workers, ``deploy/gunicorn.conf.py``) on a free port, with the bench settings."""

    workers: int = 2
    # Off for the page benchmark; bench/load.py keeps the deployment's (``accesslog = "-"``, one line per request).
    access_log: bool = False
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log_path: str = ""

    def __enter__(self) -> Server:
        log = tempfile.NamedTemporaryFile(prefix="hamdeli-bench-gunicorn-", suffix=".log", delete=False)
        self.log_path = log.name
        env = {**os.environ, **BENCH_ENV, "GUNICORN_WORKERS": str(self.workers)}
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                *([] if self.access_log else ["--access-logfile", "/dev/null"]),
                "--backlog",
                "2048",
                "hamdeli.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.log_path}")
            try:
                if request(self.port, "GET", "/bench/empty/", timeout=5).status == 200:
                    # Every worker imports Django lazily on its first request: warm them all.
                    for _ in range(self.workers * 4):
                        request(self.port, "GET", "/bench/empty/")
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def errors_in_log(self) -> list[str]:
        text = Path(self.log_path).read_text(encoding="utf-8", errors="replace") if self.log_path else ""
        return [line for line in text.splitlines() if "Traceback" in line or "ERROR" in line]


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 50 samples is the 48th smallest)."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]
