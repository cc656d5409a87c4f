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
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html_join
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
