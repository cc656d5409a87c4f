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
