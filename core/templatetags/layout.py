"""The site layout's links, worked out once per process: every page shows them (issue 20, the signed-in floor).

``{% url %}`` reverses a name on every page; base.html has about fifteen, and a coordinator's menu as many
again, each checked against her capabilities. None of that changes between requests: the links of a menu
depend only on the role, the superuser and national flags (``core.permissions.menu_for``), the language and
the site's prefix, so ``{% site_menu_links %}`` keeps the rendered links per such key and ``{% fixed_url %}``
keeps each reversed name (a URL without arguments is the same for everybody).
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from ..permissions import menu_for

register = template.Library()


@lru_cache(maxsize=512)
def _reversed(script_prefix: str, url_name: str) -> str:
    return reverse(url_name)  # script_prefix is part of the key: reverse() starts every URL with it


@register.simple_tag
def fixed_url(url_name: str) -> str:
    """``{% url url_name %}`` for a URL without arguments, reversed once per process."""
    return _reversed(get_script_prefix(), url_name)


_menus: dict[tuple, SafeString] = {}


@register.simple_tag(takes_context=True)
def site_menu_links(context) -> SafeString:
    """The signed-in user's own menu links (``core.permissions.menu_for``), rendered once per kind of user."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return SafeString("")
    key = (user.role, user.is_superuser, user.is_national, get_language(), get_script_prefix())
    links = _menus.get(key)
    if links is None:
        links = _menus[key] = format_html_join(
            "", '\n        <a href="{}">{}</a>', ((fixed_url(link.url_name), link.label) for link in menu_for(user))
        )
    return links


@lru_cache(maxsize=64)
def _static_url(path: str) -> str:
    return static(path)


@register.simple_tag
def fixed_static(path: str) -> str:
    """``{% static path %}`` looked up once per process (the hashed names only change with a new deployment)."""
    return _static_url(path)


_fragments: dict[tuple, SafeString] = {}


@register.simple_tag
def layout_fragment(template_name: str) -> SafeString:
    """A piece of the layout that is the same on every page in a language, rendered once per process.

    Such a template may use only ``translate``, ``fixed_url`` and ``fixed_static``: it gets no context.
    With ``DEBUG`` on it is rendered every time, so an edited template shows without a restart.
    """
    key = (template_name, get_language(), get_script_prefix())
    html = _fragments.get(key)
    if html is None:
        html = SafeString(get_template(template_name).render({}))
        if not settings.DEBUG:
            _fragments[key] = html
    return html


# Placeholders for what differs between two users of one kind; characters of Unicode's private use area, which
# escaping leaves alone and no name can bring in (``signed_in_links`` escapes the name before it goes in).
_NAME = "\ue000hamdeli-name\ue000"
_CSRF_INPUT = "\ue000hamdeli-csrf\ue000"
_signed_in: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def signed_in_links(context) -> SafeString:
    """The header's part for a signed-in user (``templates/layout/signed_in_links.html``): her role's menu, the
    administration link for staff, her name, the password and logout links. Rendered once per kind of user and
    language like ``site_menu_links``; her name and the form's CSRF input are put in on every page."""
    user = context["user"]
    key = (user.role, user.is_superuser, user.is_national, user.is_staff, get_language(), get_script_prefix())
    frame = _signed_in.get(key)
    if frame is None:
        frame = get_template("layout/signed_in_links.html").render(
            {"user": user, "full_name": _NAME, "csrf_input": SafeString(_CSRF_INPUT)}
        )
        if not settings.DEBUG:
            _signed_in[key] = frame
    return SafeString(
        frame.replace(_NAME, conditional_escape(user.full_name)).replace(_CSRF_INPUT, _csrf_input(context))
    )


def _csrf_input(context) -> str:
    """Exactly what ``{% csrf_token %}`` renders here."""
    return CsrfTokenNode().render(context)
