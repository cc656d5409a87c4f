"""Time the demo world's creation and the main pages per role; prints JSON.

Run by hand: `.venv/bin/python bench/pages.py` (uses a throwaway SQLite database).
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamdeli.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from core.models import User  # noqa: E402


def timed(func, repeat=1):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        result = {"seed_demo_ms": round(timed(lambda: call_command("seed_demo", stdout=devnull))[0], 1)}
    pages = {
        "09120000001": ["/", "/health-centers/", "/products/", "/admin/"],
        "09122000001": ["/"],
        "09124000001": ["/"],
    }
    result["pages"] = []
    for mobile, urls in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(mobile=mobile))
        for url in urls:
            status = client.get(url).status_code
            samples = timed(lambda client=client, url=url: client.get(url), repeat=20)
            result["pages"].append(
                {
                    "status": status,
                    "user": mobile,
                    "url": url,
                    "median_ms": round(statistics.median(samples), 2),
                    "max_ms": round(max(samples), 2),
                }
            )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
