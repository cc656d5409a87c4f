"""One way for a view to show a service's refusal: on the form it came from, or as a message on the next page.

Services refuse with ``ValidationError`` (a message per field in ``message_dict``, or messages for the whole
request). A view runs its one service call inside ``refusal_shown``::

    with refusal_shown(form) as refused:
        order = order_create(...)
    if refused:
        return self.form_invalid(form)
    messages.success(...)

Without a form (a button), ``refusal_shown(request=request)`` shows each message as an error message instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .forms import add_service_errors


class Refusal:
    """What the service call in a ``refusal_shown`` block was refused with; true once it was refused."""

    def __init__(self) -> None:
        self.error: ValidationError | None = None

    def __bool__(self) -> bool:
        return self.error is not None


@contextmanager
def refusal_shown(form: forms.Form | None = None, *, request: HttpRequest | None = None) -> Iterator[Refusal]:
    """Run a view's service call; a ``ValidationError`` it raises is shown and does not propagate.

    On ``form``: each message next to the field it names (the rest above the form), what was typed
    kept (``core.forms.add_service_errors``). Without a form: each message as an error message for
    ``request``. Any other exception propagates untouched.
    """
    if (form is None) == (request is None):
        raise TypeError("refusal_shown needs a form or a request, not both")
    refusal = Refusal()
    try:
        yield refusal
    except ValidationError as error:
        refusal.error = error
        if form is not None:
            add_service_errors(form, error)
        else:
            for message in error.messages:
                messages.error(request, message)
