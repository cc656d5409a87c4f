"""nginx in front of the benchmark's gunicorn, as deploy/nginx.conf puts it in production (without TLS).

The phone benchmark measures what a phone meets: nginx keeps connections open
(a browser reuses them, gunicorn's sync workers close each one), serves the
hashed static files itself with a year's cache and their pre-compressed
copies (``gzip_static``), and hands everything else to gunicorn. TLS is left
out: a browser would add one round trip per new connection on HTTPS.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import harness

CONFIG = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    types {{ application/manifest+json webmanifest; }}
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    keepalive_timeout 75s;
    upstream hamdeli_web {{ server 127.0.0.1:{upstream}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        # As deploy/nginx.conf: hashed names cached for a year, the .gz written by collectstatic sent when asked.
        location /static/ {{
            alias {static_root}/;
            gzip_static on;
            add_header Cache-Control "public, max-age=31536000, immutable" always;
        }}
        location / {{
            proxy_pass http://hamdeli_web;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;  # with the port: the CSRF check compares it with Origin
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"""


def available() -> bool:
    return shutil.which("nginx") is not None and Path("/etc/nginx/mime.types").exists()


@dataclass
class Front:
    upstream_port: int
    static_root: Path
    port: int = field(default_factory=harness.free_port)

    def __enter__(self) -> Front:
        self._dir = Path(tempfile.mkdtemp(prefix="hamdeli-bench-nginx-"))
        config = self._dir / "nginx.conf"
        config.write_text(
            CONFIG.format(dir=self._dir, upstream=self.upstream_port, port=self.port, static_root=self.static_root),
            encoding="utf-8",
        )
        self._process = subprocess.Popen(  # noqa: S603 - nginx with our own temporary config
            ["nginx", "-c", str(config), "-p", str(self._dir)],  # noqa: S607 - found on PATH by available()
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if harness.request(self.port, "GET", "/bench/empty/", timeout=2).status == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"nginx did not start; see {self._dir}/error.log")

    def __exit__(self, *exc) -> None:
        self._process.send_signal(signal.SIGQUIT)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
