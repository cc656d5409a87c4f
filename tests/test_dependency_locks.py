"""The lock files: every installed package pinned with its hashes, and every install reads them with --require-hashes.

requirements.in / requirements-dev.in are edited by hand; `make lock` writes requirements.txt /
requirements-dev.txt from them (CONTRIBUTING.md "Dependencies").
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==(\S+)")


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def _locked(path: str) -> dict[str, str]:
    """name -> version of every entry, after checking that each carries at least one sha256 hash."""
    text = (ROOT / path).read_text(encoding="utf-8").replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"{path}: not an exact pin: {line!r}"
        assert "--hash=sha256:" in line, f"{path}: no hash for {match.group(1)}"
        pins[_name(match.group(1))] = match.group(3)
    return pins


def _wanted(path: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / path).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[_name(match.group(1))] = match.group(3)
    return pins


def test_every_locked_package_is_pinned_with_hashes_and_the_dev_lock_holds_the_runtime_set_unchanged():
    runtime, dev = _locked("requirements.txt"), _locked("requirements-dev.txt")
    assert {"django", "asgiref", "kombu", "amqp"} <= runtime.keys()  # direct and indirect
    assert {name: dev.get(name) for name in runtime} == runtime


def test_the_locks_hold_the_versions_the_in_files_ask_for():
    for source, lock in (("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")):
        locked = _locked(lock)
        assert {name: locked.get(name) for name in _wanted(source)} == _wanted(source), f"run `make lock` ({lock})"


def test_the_makefile_and_the_dockerfile_install_only_from_the_locks_with_hashes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    installs = re.findall(r"pip install[^\n]*", makefile + dockerfile)
    requirement_installs = [line for line in installs if " -r " in line]
    assert len(requirement_installs) == 3
    for line in requirement_installs:
        assert "--require-hashes" in line and re.search(r"-r requirements(-dev)?\.txt\b", line), line
    assert ".in" not in " ".join(installs)
