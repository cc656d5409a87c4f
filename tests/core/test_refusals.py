"""core.refusals.refusal_shown: a service's refusal shown on its form or as messages, without HTTP."""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from core.refusals import refusal_shown


class AmountForm(forms.Form):
    amount = forms.IntegerField()
    note = forms.CharField(required=False)


def valid_form() -> AmountForm:
    form = AmountForm({"amount": "12", "note": "as typed"})
    assert form.is_valid()
    return form


def request_with_messages():
    request = RequestFactory().post("/")
    SessionMiddleware(lambda request: None).process_request(request)
    MessageMiddleware(lambda request: None).process_request(request)
    return request


def test_nothing_is_refused_when_the_service_returns():
    form = valid_form()
    with refusal_shown(form) as refused:
        result = 42
    assert not refused
    assert refused.error is None
    assert result == 42
    assert form.is_valid()


def test_a_refusal_by_field_is_shown_next_to_each_field_and_keeps_what_was_typed():
    form = valid_form()
    error = ValidationError({"amount": "Too much.", "elsewhere": "Not a field of this form."})
    with refusal_shown(form) as refused:
        raise error
    assert refused
    assert refused.error is error
    assert form.errors["amount"] == ["Too much."]
    assert form.non_field_errors() == ["Not a field of this form."]
    assert form["note"].value() == "as typed"


def test_a_refusal_of_the_whole_request_is_shown_above_the_form():
    form = valid_form()
    with refusal_shown(form) as refused:
        raise ValidationError(["First.", "Second."])
    assert refused
    assert form.non_field_errors() == ["First.", "Second."]
    assert "amount" not in form.errors


def test_without_a_form_each_message_of_the_refusal_is_an_error_message():
    request = request_with_messages()
    with refusal_shown(request=request) as refused:
        raise ValidationError({"amount": ["Too much."], "__all__": ["Closed."]})
    assert refused
    shown = [(message.level, message.message) for message in messages.get_messages(request)]
    assert sorted(shown) == [(messages.ERROR, "Closed."), (messages.ERROR, "Too much.")]


@pytest.mark.parametrize("other", [PermissionDenied, ValueError])
def test_any_other_exception_passes_through_and_shows_nothing(other):
    form = valid_form()
    with pytest.raises(other), refusal_shown(form):
        raise other("not a refusal")
    assert form.is_valid()


@pytest.mark.parametrize("targets", [{}, {"form": AmountForm(), "request": RequestFactory().get("/")}])
def test_it_needs_exactly_one_place_to_show_the_refusal(targets):
    with pytest.raises(TypeError), refusal_shown(**targets):
        pass
