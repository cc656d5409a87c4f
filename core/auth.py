"""Who may log in, and the one place every password check goes through.

``MobileNumberBackend`` is the only authentication backend, so the main login
page, ``/admin/login/`` and the current-password check of the change page all
reach ``core.login_throttle`` through it: a lock seen on one is a lock on all.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from . import login_throttle, user_cache
from .client_ip import client_ip
from .validators import normalize_mobile


class MobileNumberBackend(ModelBackend):
    """Log in with the mobile number however it was typed (``۰۹۱۲...``, ``+98 912 ...``), within the lockout.

    A locked number (or address) is refused before the password is even checked,
    so a lock gives no hint whether a guess was right. Demo accounts have a
    password printed in the README, so they only work while ``DEBUG`` is on.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        mobile = normalize_mobile(username)
        ip = client_ip(request) if request is not None else ""
        if login_throttle.is_locked(mobile, ip):
            # PermissionDenied, not None: django.contrib.auth.authenticate stops here, whatever backends follow.
            raise PermissionDenied
        user = super().authenticate(request, username=mobile, password=password)
        if user is None:
            login_throttle.record_failure(mobile, ip)
        else:
            login_throttle.reset(mobile, ip)
        return user

    def get_user(self, user_id):
        """The signed-in user of a session: from the shared cache where there is one (``core.user_cache``)."""
        user = user_cache.cached_user(user_id, self._load_user)
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _load_user(user_id):
        return get_user_model()._default_manager.filter(pk=user_id).first()

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)


# Paths a user with a password chosen by someone else may still open before choosing her own.
_FORCED_CHANGE_ALLOWED_NAMES = ("password_change", "logout", "admin:logout", "set_language", "healthz")


class ForcePasswordChangeMiddleware:
    """Keep a user whose password a coordinator or an admin set on the change page until she picks her own.

    The flag (``User.must_change_password``) is set by collector appointment and
    by the admin's "add user" and "change password"; every change or reset
    clears it. Static files, logout and the language switch stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not self._allowed(request.path_info)
        ):
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        prefixes = [settings.STATIC_URL, settings.MEDIA_URL, "/favicon.ico"]
        prefixes += [reverse(name) for name in _FORCED_CHANGE_ALLOWED_NAMES]
        return any(prefix and path.startswith(prefix) for prefix in prefixes)
