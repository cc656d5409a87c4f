"""Settings are read from the environment and refuse to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Reads the run's database or broker settings: kept on both of .ci/run's runs (tests/conftest.py).
pytestmark = pytest.mark.backend

PROJECT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!production-only-" + "k" * 50,
    "ALLOWED_HOSTS": "hamdeli.example.ir",
    "DATABASE_URL": "sqlite:////tmp/hamdeli-deploy-check.sqlite3",
}


def run_django(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="hamdeli.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_django(["check"], **env)
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG=0" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}
    result = run_django(["check"], **env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required" in result.stderr


def test_a_misspelt_boolean_stops_the_process_with_its_name():
    result = run_django(["check"], DEBUG="flase")
    assert result.returncode != 0
    assert "DEBUG='flase' is not a boolean" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text("f" * 60)
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_django(["check"], SECRET_KEY_FILE=str(key_file), **env)
    assert result.returncode == 0, result.stderr


def test_production_profile_passes_the_deployment_checklist_without_warnings():
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_seed_demo_is_refused_in_production():
    result = run_django(["seed_demo"], **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "refuses to run with DEBUG=0" in result.stderr


@pytest.mark.parametrize("name", ["TIME_ZONE", "LANGUAGE_CODE"])
def test_tehran_time_and_persian_are_the_defaults(settings, name):
    assert {"TIME_ZONE": "Asia/Tehran", "LANGUAGE_CODE": "fa"}[name] == getattr(settings, name)


def test_sqlite_takes_the_write_lock_at_begin_and_waits_when_busy(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite-specific options; this run uses another database")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5


def test_no_setting_and_no_application_module_can_turn_a_row_lock_off():
    """Locks are switched off only inside the concurrency tests' control cases (monkeypatch), never by settings."""
    from hamdeli import settings as production
    from tests.test_architecture import LAYERS  # every app, including the rooms split out of orders and donors

    assert [name for name in dir(production) if "LOCKING" in name] == []
    application = [path for app in (*LAYERS, "hamdeli") for path in (PROJECT / app).rglob("*.py")]
    assert [str(path) for path in application if "_LOCKING" in path.read_text(encoding="utf-8")] == []
