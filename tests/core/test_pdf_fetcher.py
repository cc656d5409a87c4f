import pytest

from core.pdf import STATIC_BASE_URL, STATIC_DIR, StaticOnlyURLFetcher


@pytest.fixture
def fetcher():
    return StaticOnlyURLFetcher()


def test_the_pdf_fetcher_serves_the_bundled_font(fetcher):
    response = fetcher.fetch(STATIC_BASE_URL + "fonts/vazirmatn/Vazirmatn-Regular.ttf")
    assert response.read(4) == (STATIC_DIR / "fonts/vazirmatn/Vazirmatn-Regular.ttf").read_bytes()[:4]
    response.close()


def test_the_pdf_fetcher_serves_data_uris(fetcher):
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/logo.png",
        "http://127.0.0.1:8000/admin/",
        "file:///etc/passwd",
        STATIC_BASE_URL + "../hamdeli/settings.py",
        STATIC_BASE_URL + "fonts/../../.secret_key",
        "file://evil.example.com" + str(STATIC_DIR) + "/css/app.css",
        "ftp://example.com/file",
        "javascript:alert(1)",
    ],
)
def test_the_pdf_fetcher_refuses_anything_outside_static(fetcher, url):
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_a_template_pointing_outside_static_renders_without_the_resource(tmp_path, settings):
    from core.pdf import render_pdf

    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]},
    ]
    (tmp_path / "probe.html").write_text(
        '<html><body><img src="file:///etc/passwd"><img src="http://example.com/x.png"><p>ok</p></body></html>'
    )
    assert render_pdf("probe.html", {}).startswith(b"%PDF")


@pytest.mark.parametrize(
    "url",
    [
        "FILE:///etc/passwd",
        "HTTP://127.0.0.1:8000/",
        STATIC_BASE_URL + "%2e%2e/hamdeli/settings.py",
        STATIC_BASE_URL + "fonts/",  # a folder, not a file
        "file://localhost/etc/passwd",
    ],
)
def test_the_pdf_fetcher_is_not_fooled_by_case_encoding_or_folders(fetcher, url):
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_a_symlink_inside_the_static_folder_cannot_point_outside_it(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (root / "escape.txt").symlink_to("/etc/passwd")
    with pytest.raises(ValueError):
        StaticOnlyURLFetcher(root=root).fetch((root / "escape.txt").as_uri())


def test_an_http_url_that_would_redirect_to_a_static_file_is_refused_without_a_request():
    """No redirects: the fetcher refuses http before connecting, so a redirect can never be followed."""
    import http.server
    import threading

    requests = []

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(302)
            self.send_header("Location", STATIC_BASE_URL + "css/app.css")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(ValueError):
            StaticOnlyURLFetcher().fetch(f"http://127.0.0.1:{server.server_address[1]}/logo.png")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert requests == []


def test_the_pdf_fetcher_does_not_follow_redirects_even_if_a_scheme_were_allowed():
    import urllib.request

    handlers = StaticOnlyURLFetcher().handlers
    assert not any(isinstance(handler, urllib.request.HTTPRedirectHandler) for handler in handlers)
