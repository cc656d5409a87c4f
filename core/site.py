"""Absolute links printed on paper (QR codes on receipts and delivery sheets) or sent by SMS."""

from django.conf import settings


def site_url() -> str:
    """The public base URL, without a trailing slash: ``HAMDELI_SITE_URL``, else the first trusted origin."""
    explicit = getattr(settings, "HAMDELI_SITE_URL", "")
    if explicit:
        return explicit.rstrip("/")
    if settings.CSRF_TRUSTED_ORIGINS:
        return settings.CSRF_TRUSTED_ORIGINS[0].rstrip("/")
    return "http://127.0.0.1:8000"


def absolute_url(path: str) -> str:
    return site_url() + path


def qr_svg_data_uri(text: str) -> str:
    """A QR code as an SVG data URI, for embedding in a PDF without any fetch."""
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=4, border=2, dark="#000")
