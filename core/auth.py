from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from .validators import normalize_mobile


class MobileNumberBackend(ModelBackend):
    """Log in with the mobile number however it was typed (``۰۹۱۲...``, ``+98 912 ...``).

    Demo accounts have a password printed in the README, so they only work
    while ``DEBUG`` is on.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            username = normalize_mobile(username)
        return super().authenticate(request, username=username, password=password, **kwargs)

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)
