"""The production files in ``deploy/``: what can be checked without Docker or systemd on this machine."""

import configparser
import os
import re
import runpy
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml

# Reads the run's database or broker settings: kept on both of .ci/run's runs (tests/conftest.py).
pytestmark = pytest.mark.backend

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
APP_SERVICES = ("web", "worker", "beat")


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def _env_example() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_compose_file_parses_and_has_web_worker_beat_postgres_and_redis():
    services = _compose()["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    for name in APP_SERVICES:
        assert services[name]["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        assert services[name]["env_file"] == ".env"
        assert "media:/srv/hamdeli/media" in services[name]["volumes"]  # PDFs made by the worker, served by web
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_web_container_is_checked_through_healthz_and_published_on_loopback_only():
    web = _compose()["services"]["web"]
    assert web["healthcheck"]["test"] == ["CMD", "python", "deploy/healthcheck.py"]
    assert "/healthz" in (DEPLOY / "healthcheck.py").read_text(encoding="utf-8")
    assert all(port.startswith("127.0.0.1:") for port in web["ports"])


def test_the_worker_consumes_celerys_default_queue_and_beat_uses_the_database_scheduler():
    from django.conf import settings

    services = _compose()["services"]
    worker = services["worker"]["command"]
    # Settings name no other queue, so tasks go to Celery's default one, called "celery".
    assert not hasattr(settings, "CELERY_TASK_DEFAULT_QUEUE")
    assert worker[worker.index("-Q") + 1] == "celery"
    beat = services["beat"]["command"]
    assert beat[beat.index("--scheduler") + 1] == settings.CELERY_BEAT_SCHEDULER


def test_every_variable_the_compose_file_uses_is_in_the_env_example():
    text = (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")
    # ${NAME}, ${NAME:-default}; $${NAME} is left for the container's shell.
    used = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", text))
    assert used  # the pattern still matches something
    assert used <= set(_env_example()), f"missing from .env.example: {sorted(used - set(_env_example()))}"


def test_every_variable_the_settings_require_in_production_is_in_the_env_example():
    settings_source = (ROOT / "hamdeli" / "settings.py").read_text(encoding="utf-8")
    required = set(re.findall(r'ImproperlyConfigured\(\s*"([A-Z_]+)', settings_source))
    assert {"SECRET_KEY", "ALLOWED_HOSTS"} <= required
    example = _env_example()
    assert required <= set(example)
    assert example["DEBUG"] == "0"
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "CSRF_TRUSTED_ORIGINS", "HAMDELI_SITE_URL", "MEDIA_ROOT"):
        assert example[name], name
    assert example["BEHIND_TLS_PROXY"] == "1"  # nginx sets X-Forwarded-Proto


def test_every_variable_in_the_env_example_is_read_by_something():
    """A misspelt name (``BEHIND_TLS_PROXI``) would be silently ignored; catch it here."""
    readers = "\n".join(
        (ROOT / path).read_text(encoding="utf-8")
        for path in (
            "hamdeli/settings.py",
            "deploy/gunicorn.conf.py",
            "deploy/docker-compose.yml",
            "deploy/hamdeli-worker.service",
        )
    )
    unread = [name for name in _env_example() if f'"{name}"' not in readers and f"{{{name}" not in readers]
    postgres_image = {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"}  # read by the postgres image
    assert set(unread) <= postgres_image


def test_the_env_example_holds_placeholder_secrets_only():
    example = _env_example()
    for name in ("SECRET_KEY", "SMS_GATEWAY_API_KEY", "EMAIL_HOST_PASSWORD", "POSTGRES_PASSWORD"):
        assert example[name].startswith("change-me"), name
    assert example["POSTGRES_PASSWORD"] in example["DATABASE_URL"]  # the two must agree


def test_the_env_example_with_a_real_secret_key_passes_the_deployment_checklist(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO", "DATABASE", "CELERY"))}
    env.update(_env_example())
    env["SECRET_KEY"] = "x" * 10 + "a-real-key-has-fifty-or-more-random-characters-1234567890"
    env["MEDIA_ROOT"] = str(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "hamdeli.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("unit", ["hamdeli-web.service", "hamdeli-worker.service", "hamdeli-beat.service"])
def test_systemd_units_parse_and_run_as_hamdeli_from_srv_with_the_env_file(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / unit, encoding="utf-8")
    service = parser["Service"]
    assert service["ExecStart"].startswith("/srv/hamdeli/.venv/bin/")
    assert service["User"] == "hamdeli"
    assert service["EnvironmentFile"] == "/etc/hamdeli/env"
    assert service["WorkingDirectory"] == "/srv/hamdeli"
    assert service["Restart"] == "on-failure"
    assert parser["Install"]["WantedBy"] == "multi-user.target"


SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    units = [shutil.copy(DEPLOY / name, tmp_path) for name in ("hamdeli-web.service", "hamdeli-worker.service")]
    units.append(shutil.copy(DEPLOY / "hamdeli-beat.service", tmp_path))
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", "--man=no", *units], capture_output=True, text=True, timeout=60)
    # The virtualenv does not exist on this machine; anything else (unknown keys, bad syntax) is a failure.
    problems = [line for line in result.stderr.splitlines() if line.strip() and "is not executable" not in line]
    assert problems == []


def test_the_worker_unit_sets_concurrency_and_queue_and_beat_the_database_scheduler():
    worker = (DEPLOY / "hamdeli-worker.service").read_text(encoding="utf-8")
    assert "--concurrency=${CELERY_CONCURRENCY}" in worker
    assert "-Q celery" in worker
    beat = (DEPLOY / "hamdeli-beat.service").read_text(encoding="utf-8")
    assert "--scheduler django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_gunicorn_config_is_importable_and_binds_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["bind"] == "0.0.0.0:9000"
    assert config["workers"] == (os.cpu_count() or 1) * 2 + 1
    assert config["accesslog"] == "-"
    assert config["timeout"] > 0
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    monkeypatch.setenv("GUNICORN_WORKERS", "")  # left empty in the env file: still the default
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] == (os.cpu_count() or 1) * 2 + 1


def test_every_name_in_the_gunicorn_config_is_a_setting_of_the_installed_gunicorn_and_valid():
    """An upgrade that renames or drops a setting would otherwise be ignored without a word."""
    from gunicorn.config import Config

    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    gunicorn_config = Config()
    names = [
        name
        for name, value in config.items()
        if not name.startswith("_") and not callable(value) and not isinstance(value, types.ModuleType)
    ]
    assert set(names) - set(gunicorn_config.settings) == set()
    for name in names:
        gunicorn_config.set(name, config[name])  # runs gunicorn's own validator
    assert gunicorn_config.control_socket_disable is True


def test_nginx_never_serves_media_and_serves_static_from_static_root():
    from django.conf import settings

    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    # Receipts, sheets and reports are downloaded through views that check permissions.
    media = re.search(r"location /media/ \{(.*?)\}", site, re.S).group(1)
    assert "return 404" in media and "alias" not in media and "root" not in media
    assert f"alias /srv/hamdeli/{Path(settings.STATIC_ROOT).name}/;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site


NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
OPENSSL = shutil.which("openssl")


@pytest.mark.skipif(NGINX is None or OPENSSL is None, reason="nginx (or openssl) is not installed")
def test_nginx_accepts_the_site(tmp_path):
    """``nginx -t`` on the site, wrapped in a minimal main config, with a throwaway self-signed certificate."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    options = ["-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=hamdeli.test"]
    subprocess.run(
        [OPENSSL, "req", *options, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/letsencrypt/live/hamdeli.example.ir/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/hamdeli.example.ir/privkey.pem", str(key))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path};\n  include {tmp_path}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
