"""Container health check: ``GET /healthz`` on the local gunicorn, as the proxy would send it.

Exits 0 when the site answers 200 (the database answers), 1 otherwise. The
request carries the first ``ALLOWED_HOSTS`` name and ``X-Forwarded-Proto:
https`` so Django (``BEHIND_TLS_PROXY=1``) neither rejects the host nor
redirects to HTTPS.
"""

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
    port = bind.rsplit(":", 1)[-1]
    hosts = [h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = next((h for h in hosts if h != "*"), "localhost")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - fixed local URL
            body = response.read().decode("utf-8", "replace")
            print(body)
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
