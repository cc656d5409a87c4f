"""Writes of the transparency app: issuing and revoking the coordinator's API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_action
from core.models import User
from core.permissions import sees_all_provinces, user_can

from .models import ApiToken

CAPABILITY = "use_open_data_api"
KEY_PREFIX = "hmd_"  # tells a leaked key apart in logs and secret scanners
PREFIX_LENGTH = len(KEY_PREFIX) + 8
MAX_ACTIVE_TOKENS = 10
# ``last_used_at`` is written at most this often per token: a program polling every second is not a write each time.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def key_fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str | None  # None when the same form was sent again: the key was made by the first request


@transaction.atomic
def api_token_issue(*, owner: User, name: str, submission_key: uuid.UUID | None = None) -> IssuedToken:
    """Issue a token to ``owner`` (who must hold ``use_open_data_api``); the key is returned once and never stored.

    The same ``submission_key`` again returns the token already issued, without its key, so a double click
    makes one token. At most ``MAX_ACTIVE_TOKENS`` unrevoked tokens per person: a forgotten key is revoked, not
    left working beside its replacement.
    """
    if not user_can(owner, CAPABILITY):
        raise PermissionDenied
    owner = _lock_owner(owner)  # two issues at once count each other's token
    earlier = _issued_before(owner, submission_key)
    if earlier is not None:
        return IssuedToken(token=earlier, key=None)
    if ApiToken.objects.filter(owner=owner, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(count)s working tokens; revoke one you no longer use first.") % {"count": MAX_ACTIVE_TOKENS}
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        owner=owner,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=key_fingerprint(key),
        submission_key=submission_key,
    )
    token.full_clean(exclude=["submission_key"])
    try:
        with transaction.atomic():
            token.save()
    except IntegrityError:
        earlier = _issued_before(owner, submission_key)
        if earlier is None:
            raise
        return IssuedToken(token=earlier, key=None)
    log_action(actor=owner, obj=token, action="api_token.issue", changes={"name": [None, token.name]})
    return IssuedToken(token=token, key=key)


def _lock_owner(owner: User) -> User:
    return User.objects.select_for_update().get(pk=owner.pk)


def _issued_before(owner: User, submission_key: uuid.UUID | None) -> ApiToken | None:
    if submission_key is None:
        return None
    return ApiToken.objects.filter(owner=owner, submission_key=submission_key).first()


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Stop ``token`` working at once; a coordinator revokes her own, a national coordinator anyone's.

    Revoking a revoked token changes nothing (the button pressed twice).
    """
    if not user_can(actor, CAPABILITY) or (token.owner_id != actor.pk and not sees_all_provinces(actor)):
        raise PermissionDenied
    token = _lock_token(token)  # revoked twice at once (two tabs): one revocation, one audit entry
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log_action(actor=actor, obj=token, action="api_token.revoke", changes={"revoked_at": [None, token.revoked_at]})
    return token


def _lock_token(token: ApiToken) -> ApiToken:
    return ApiToken.objects.select_for_update().get(pk=token.pk)


def api_token_used(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """Note that ``token`` was used, at most once a ``LAST_USED_RESOLUTION`` (not audited: nothing changed)."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    # The condition is in the UPDATE too: requests arriving together write once.
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
