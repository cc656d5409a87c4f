"""One list of system packages (deploy/system-packages.txt), used by the Makefile, .ci/run, the Dockerfile and the
README: a fresh Debian 12 that follows the README gets everything `make run` and `make test` need."""

import re
import subprocess
from pathlib import Path

import pytest

# Reads the run's database or broker settings: kept on both of .ci/run's runs (tests/conftest.py).
pytestmark = pytest.mark.backend

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "deploy" / "system_packages.sh"


def _groups() -> dict[str, list[str]]:
    groups = {}
    for line in (ROOT / "deploy" / "system-packages.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, packages = line.partition(":")
            groups[name.strip()] = packages.split()
    return groups


def test_the_list_names_pangos_harfbuzz_subsetter_a_font_chromium_and_poppler():
    groups = _groups()
    assert set(groups) == {"venv", "run", "test"}
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"} <= set(groups["run"])
    assert {"chromium", "poppler-utils"} <= set(groups["test"])


def test_the_readme_set_up_line_installs_exactly_every_listed_package():
    groups = _groups()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = re.findall(r"^sudo apt-get install -y --no-install-recommends (.+)$", readme, flags=re.MULTILINE)
    assert lines == [" ".join(groups["venv"] + groups["run"] + groups["test"])]


def test_the_dockerfile_installs_exactly_the_run_group():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    install = re.search(r"apt-get install -y --no-install-recommends \\\n\s+(.+?) \\\n", dockerfile)
    assert install is not None
    assert install.group(1).split() == _groups()["run"]


def test_make_run_make_test_and_ci_check_the_list_before_anything_else():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run: system-packages-run ", makefile, flags=re.MULTILINE)
    assert re.search(r"^test: system-packages-test ", makefile, flags=re.MULTILINE)
    assert "deploy/system_packages.sh run" in makefile
    assert "deploy/system_packages.sh test" in makefile
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "sh deploy/system_packages.sh test" in ci
    assert "apt-get install" not in ci  # no second list


def _run_check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/sh", str(SCRIPT), *args], env=env, capture_output=True, text=True, check=False)


def _machine_without(tmp_path: Path, *absent: str) -> dict[str, str]:
    """PATH with a dpkg that reports ``absent`` (all packages when empty) missing, and an ``id`` of a normal user."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    test = " || ".join(f'[ "$2" = {name} ]' for name in absent) or "true"
    (fake_bin / "dpkg").write_text(f"#!/bin/sh\nif {test}; then exit 1; fi\nexit 0\n")
    (fake_bin / "id").write_text("#!/bin/sh\necho 1000\n")  # not root: report instead of installing
    for tool in ("dpkg", "id"):
        (fake_bin / tool).chmod(0o755)
    return {"PATH": f"{fake_bin}:/usr/bin:/bin"}


def test_the_check_passes_on_this_machine_where_everything_is_installed():
    result = _run_check("test")
    assert result.returncode == 0, result.stderr


def test_a_user_who_is_not_root_is_stopped_with_the_one_apt_get_line(tmp_path):
    result = _run_check("run", str(tmp_path / "python3"), env=_machine_without(tmp_path))
    assert result.returncode == 1
    expected = "  sudo apt-get install -y --no-install-recommends " + " ".join(_groups()["run"])
    assert result.stderr.splitlines()[-1] == expected


def test_make_test_also_asks_for_chromium_and_poppler(tmp_path):
    result = _run_check("test", str(tmp_path / "python3"), env=_machine_without(tmp_path, "chromium", "poppler-utils"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "  sudo apt-get install -y --no-install-recommends chromium poppler-utils"


def test_debians_own_python_also_needs_python3_venv(tmp_path):
    env = _machine_without(tmp_path, "python3-venv")
    own = _run_check("run", "/usr/bin/python3", env=env)
    assert own.returncode == 1
    assert own.stderr.splitlines()[-1].endswith("--no-install-recommends python3-venv")
    assert _run_check("run", str(tmp_path / "python3"), env=env).returncode == 0  # pyenv's or python.org's
