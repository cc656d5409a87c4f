"""Save the HTML of every page each demo role can reach by clicking, or compare two such snapshots.

Issue 16 asks that reorganising the code leaves "the HTML of every page for every role byte-for-byte the
same (apart from CSRF tokens)". This script is how that is checked:

    python bench/html_snapshot.py --out /tmp/before          # on the old commit (a git worktree)
    python bench/html_snapshot.py --out /tmp/after           # on the new one
    python bench/html_snapshot.py --compare /tmp/before /tmp/after

It migrates a fresh SQLite database, runs ``seed_demo`` and then, for one user of each role (the national and a
provincial coordinator, an owner, a donor, health-center staff, a collector, the superuser) and for anonymous
visitors, in Persian and in English, follows every same-site link from the home page breadth first (GET only,
never the logout link), up to ``--pages`` pages per role and language. Each answer is stored with the CSRF
tokens, CSP nonces, form idempotency keys and clock times masked (they change on every request or minute), and
with ``secrets`` seeded, so two snapshots of the same code are identical. Binary answers (PDF, XLSX) are stored
as their content type only: their bytes carry creation dates.

``--compare`` exits non-zero and lists the pages that differ, appear or disappear, with the first differing
lines of each.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import re
import sys
import tempfile
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
MASKS = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken" value="CSRF"'),
    (re.compile(r'nonce="[^"]*"'), 'nonce="NONCE"'),
    (re.compile(r"nonce-[A-Za-z0-9+/=_-]+"), "nonce-NONCE"),
    (re.compile(r'data-csrf="[^"]*"'), 'data-csrf="CSRF"'),
    # idempotency keys of forms: a fresh uuid4 per page view
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"), "UUID4"),
    # clock times (Latin and Persian digits): the seed and the crawl run at different minutes
    (re.compile(r"[0-9۰-۹]{1,2}:[0-9۰-۹]{2}(:[0-9۰-۹]{2})?( [ap]\.m\.)?"), "HH:MM"),
]
HREF = re.compile(r'href="([^"#]+)"')


def _setup_django(database_path: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamdeli.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client's host in


def _roles():
    from core.models import Role, User

    users = User.objects.order_by("pk")
    picks = {
        "national": users.filter(role=Role.COORDINATOR, is_national=True).first(),
        "coordinator": users.filter(role=Role.COORDINATOR, is_national=False).first(),
        "owner": users.filter(role=Role.WORKSHOP_OWNER).first(),
        "donor": users.filter(role=Role.DONOR).first(),
        "staff": users.filter(role=Role.HEALTH_CENTER_STAFF).first(),
        "collector": users.filter(role=Role.COLLECTOR).first(),
        "superuser": users.filter(is_superuser=True).first(),
    }
    return [("anonymous", None)] + [(name, user) for name, user in picks.items() if user is not None]


def _masked(body: bytes) -> bytes:
    text = body.decode("utf-8", "replace")
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text.encode()


def _file_name(url: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", url.strip("/"))[:80] or "home"
    return f"{readable}-{hashlib.sha256(url.encode()).hexdigest()[:8]}.html"


def _crawl(client, start: str, limit: int, out: Path) -> int:
    seen, queue, saved = {start}, deque([start]), 0
    while queue and saved < limit:
        url = queue.popleft()
        if "logout" in url:
            continue
        response = client.get(url)
        saved += 1
        content_type = response.get("Content-Type", "")
        status = f"{response.status_code} {content_type}\n".encode()
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if not content_type.startswith("text/"):
            # PDF and XLSX files carry their creation time: only their type is compared
            (out / _file_name(url)).write_bytes(status + b"binary\n")
            continue
        location = response.get("Location", "")
        (out / _file_name(url)).write_bytes(status + f"location {location}\n".encode() + _masked(body))
        if "text/html" not in content_type:
            continue
        for link in sorted(set(HREF.findall(body.decode("utf-8", "replace")))):
            link = link.replace("&amp;", "&")
            parts = urlsplit(urljoin(url, link))
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target.startswith(("/static/", "/media/")) or target in seen:
                continue
            seen.add(target)
            queue.append(target)
    return saved


def _deterministic_secrets() -> None:
    """Pledge references and tokens come from ``secrets``; seeded here so that two snapshots draw the same."""
    import random
    import secrets

    rng = random.Random(16)
    secrets.choice = rng.choice
    secrets.randbelow = rng.randrange
    secrets.token_urlsafe = lambda nbytes=32: "".join(rng.choice("abcdefghijkmnpqrstuvwxyz") for _ in range(nbytes))
    secrets.token_hex = lambda nbytes=32: "".join(rng.choice("0123456789abcdef") for _ in range(2 * nbytes))


def snapshot(out: Path, pages: int) -> None:
    _deterministic_secrets()
    with tempfile.TemporaryDirectory() as workdir:
        _setup_django(f"{workdir}/snapshot.sqlite3")
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        for role, user in _roles():
            for language in ("fa", "en"):
                client = Client()
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                if user is not None:
                    client.force_login(user)
                folder = out / f"{role}-{language}"
                folder.mkdir(parents=True, exist_ok=True)
                count = _crawl(client, "/", pages, folder)
                print(f"{role} {language}: {count} pages", file=sys.stderr)


def compare(before: Path, after: Path) -> int:
    old = {p.relative_to(before) for p in before.rglob("*.html")}
    new = {p.relative_to(after) for p in after.rglob("*.html")}
    problems = 0
    for missing in sorted(old - new):
        print(f"only before: {missing}")
        problems += 1
    for extra in sorted(new - old):
        print(f"only after: {extra}")
        problems += 1
    for name in sorted(old & new):
        a, b = (before / name).read_bytes(), (after / name).read_bytes()
        if a != b:
            problems += 1
            print(f"differs: {name}")
            diff = difflib.unified_diff(
                a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines(), lineterm="", n=1
            )
            for line in list(diff)[:12]:
                print(f"    {line[:200]}")
    print(f"{len(old & new)} pages in both, {problems} differences", file=sys.stderr)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="folder to write the snapshot to")
    parser.add_argument("--pages", type=int, default=150, help="pages per role and language")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if not args.out:
        parser.error("--out or --compare")
    snapshot(args.out, args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
