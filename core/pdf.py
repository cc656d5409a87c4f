"""The one way to make a PDF: a Django template rendered by WeasyPrint.

* Resources come only from the project's ``static/`` folder (``file://`` URLs
  that resolve inside it, so ``../`` cannot escape) and ``data:`` URIs; http(s),
  other files and every other scheme are refused, so a template (or text a user
  typed into one) can never make the server fetch a URL or read a file.
* Fonts: templates declare ``@font-face`` for the bundled Vazirmatn with URLs
  relative to ``STATIC_BASE_URL`` (``fonts/vazirmatn/Vazirmatn-Regular.ttf``); one
  ``FontConfiguration`` is passed to every ``CSS`` and to ``write_pdf`` — without
  it WeasyPrint silently falls back to DejaVu (check with ``pdffonts``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

# WeasyPrint reports every layout step at INFO; keep the logs for real problems.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STATIC_DIR = Path(settings.BASE_DIR) / "static"
STATIC_BASE_URL = STATIC_DIR.resolve().as_uri() + "/"


class StaticOnlyURLFetcher(URLFetcher):
    """Serves ``data:`` URIs and files under ``static/``; raises ``ValueError`` for anything else."""

    def __init__(self, root: Path = STATIC_DIR, **kwargs):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, **kwargs)
        self.root = root.resolve()

    def check(self, url: str) -> None:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"PDF resources must be static files or data: URIs, not {url[:80]!r}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"PDF resources must be files under static/, not {url[:80]!r}")

    def fetch(self, url, headers=None):
        self.check(url)
        return super().fetch(url, headers)


def render_pdf(
    template_name: str, context: dict, *, base_url: str = STATIC_BASE_URL, stylesheets: list[str] = ()
) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes (relative URLs resolve against ``base_url``)."""
    html = render_to_string(template_name, context)
    fetcher = StaticOnlyURLFetcher()
    font_config = FontConfiguration()
    css = [CSS(string=s, base_url=base_url, url_fetcher=fetcher, font_config=font_config) for s in stylesheets]
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=css, font_config=font_config)


class PdfKit:
    """One process's reusable WeasyPrint setup, for printing many documents in a row (a batch of sheets).

    ``render_pdf`` builds a fetcher, a ``FontConfiguration`` and parsed CSS for
    every PDF; for hundreds of sheets that setup (parsing the stylesheet, loading
    the fonts of its ``@font-face`` rules) is paid once here. The kit keeps the
    font configuration alive as long as the documents that use it.
    """

    def __init__(self, *, base_url: str = STATIC_BASE_URL):
        self.base_url = base_url
        self.fetcher = StaticOnlyURLFetcher()
        self.font_config = FontConfiguration()
        self._stylesheets: dict[str, CSS] = {}

    def stylesheet(self, text: str) -> CSS:
        if text not in self._stylesheets:
            self._stylesheets[text] = CSS(
                string=text, base_url=self.base_url, url_fetcher=self.fetcher, font_config=self.font_config
            )
        return self._stylesheets[text]

    def document(self, html: str, *, stylesheets: list[str] = ()):
        """The laid-out ``weasyprint.Document`` of ``html``; ``write_documents`` joins several into one PDF."""
        css = [self.stylesheet(text) for text in stylesheets]
        return HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
            stylesheets=css, font_config=self.font_config
        )


def write_documents(documents: list, target=None) -> bytes | None:
    """Join laid-out documents into one PDF (fonts embedded once), written to ``target`` (path or file) or returned."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(target=target)
