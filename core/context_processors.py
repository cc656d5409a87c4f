"""Template context shared by every page."""

from __future__ import annotations

from .models import Role
from .outbox import oldest_waiting
from .permissions import Can


def background_work(request) -> dict:
    """For coordinators: since when background work has been waiting for the broker (None when it is not).

    Coordinators are the ones who start allocation runs, sheet batches and
    reports and who answer owners' questions about missing SMS, so they are told.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.is_superuser or user.role == Role.COORDINATOR):
        return {}
    return {"background_delayed_since": oldest_waiting()}


def access(request) -> dict:
    """``can.<capability>``, from ``core.permissions``; it reads the user only when a template asks, like
    ``django.contrib.auth``'s ``user``. (The menu's links are ``{% site_menu_links %}``, core/templatetags/layout.py.)
    """

    def user():
        return getattr(request, "user", None)

    return {
        "can": Can(user),
    }
