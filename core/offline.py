"""Which pages the installable app may keep on the phone for reading offline.

The service worker (``hamdeli/offline.py``, ``templates/offline/sw.js``) keeps a
copy of a page only when the response carries ``OFFLINE_COPY_HEADER``: the
server, which knows who is logged in, decides; the worker's list of URL
prefixes is a second fence. The workshop owner's own pages opt in (her quotas,
her history, her home panel); a coordinator's pages never do, so their private
data is never written to a phone's cache.
"""

from __future__ import annotations

from django.http import HttpResponse

OFFLINE_COPY_HEADER = "X-Offline-Copy"


def allow_offline_copy(response: HttpResponse) -> HttpResponse:
    """Mark a successful page of the logged-in owner as one the app may keep for reading offline."""
    if response.status_code == 200:
        response[OFFLINE_COPY_HEADER] = "owner"
    return response
