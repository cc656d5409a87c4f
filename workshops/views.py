"""The workshop owner's own pages: sign-up wizard, profile, capacity and days off.

Sign-up is a short wizard, a few fields per screen:
1. ``signup``: her account (mobile number, name, password); she is logged in;
2. ``register``: the workshop (name, national ID, city, address);
3. ``bank``: Sheba, machines, workers, consent to show the name to donors;
4. ``capacity``: units per day per product and working weekdays.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from core.permissions import user_can
from core.rate_limit import signup_throttle
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin

from .change_requests import last_rejected_change_of, pending_change_of
from .forms import (
    BankForm,
    CapacityForm,
    ProfileForm,
    SignupForm,
    UnavailabilityForm,
    WorkshopRegisterForm,
)
from .selectors import days_off_from, days_off_of, workshop_of_owner
from .services import (
    capacity_update,
    owner_signup,
    unavailability_add,
    unavailability_remove,
    workshop_register,
    workshop_update_profile,
)

SIGNUP_STEPS = 4
LOGIN_BACKEND = "core.auth.MobileNumberBackend"


class _LoadOwnWorkshop:
    """Loads the owner's workshop; sends her to register it first when she has none."""

    needs_workshop = True

    def dispatch(self, request, *args, **kwargs):
        if not user_can(request.user, "run_workshop"):
            raise PermissionDenied  # e.g. a superuser: these pages are about one's own workshop
        self.workshop = workshop_of_owner(request.user)
        if self.needs_workshop and self.workshop is None:
            return redirect("workshops:register")
        return super().dispatch(request, *args, **kwargs)


class OwnerPageMixin(RoleRequiredMixin, _LoadOwnWorkshop):
    """Anonymous: login; another role: 403; an owner without a workshop: step 2 of the sign-up."""

    capability = "run_workshop"
    step: int | None = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["workshop"] = self.workshop
        if self.step:
            context["step"] = self.step
            context["steps"] = SIGNUP_STEPS
        return context


@signup_throttle  # each post says whether a number is registered: limited per address
class SignupView(FormView):
    """Step 1: a new owner creates her account and is logged in."""

    template_name = "workshops/signup.html"
    form_class = SignupForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("workshops:register" if user_can(request.user, "run_workshop") else "home")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(step=1, steps=SIGNUP_STEPS, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with refusal_shown(form) as refused:
                user = owner_signup(mobile=data["mobile"], full_name=data["full_name"], password=data["password1"])
        except IntegrityError:  # the same number signed up a moment ago
            form.add_error(
                "mobile", ValidationError(SignupForm.ALREADY_REGISTERED_MESSAGE, code=form.ALREADY_REGISTERED)
            )
            return self.form_invalid(form)
        if refused:
            return self.form_invalid(form)
        login(self.request, user, backend=LOGIN_BACKEND)
        messages.success(self.request, _("Your account is ready. Now tell us about your workshop."))
        return redirect("workshops:register")


class WorkshopRegisterView(OwnerPageMixin, FormView):
    """Step 2: the workshop itself; only while she has none."""

    template_name = "workshops/register.html"
    form_class = WorkshopRegisterForm
    needs_workshop = False
    step = 2

    def get(self, request, *args, **kwargs):
        if self.workshop is not None:
            return redirect("home")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.workshop is not None:
            return redirect("home")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        with refusal_shown(form) as refused:
            workshop_register(owner=self.request.user, **form.cleaned_data)
        if refused:
            return self.form_invalid(form)
        messages.success(self.request, _("Your workshop is registered. Two more short steps."))
        return redirect("workshops:bank")


class BankView(OwnerPageMixin, FormView):
    """Step 3: Sheba, machines, workers and consent to show the name."""

    template_name = "workshops/bank.html"
    form_class = BankForm
    step = 3

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.workshop}

    def get_context_data(self, **kwargs):
        return super().get_context_data(next_url=_capacity_after_signup(), **kwargs)

    def form_valid(self, form):
        with refusal_shown(form) as refused:
            workshop_update_profile(workshop=self.workshop, actor=self.request.user, **form.cleaned_data)
        if refused:
            return self.form_invalid(form)
        messages.success(self.request, _("Saved. Last step: what you can make."))
        return redirect(_capacity_after_signup())


def _capacity_after_signup() -> str:
    return reverse("workshops:capacity") + "?signup=1"


class ProfileView(OwnerPageMixin, FormView):
    """Her status (with the coordinator's reason) and every profile field."""

    template_name = "workshops/profile.html"
    form_class = ProfileForm

    def get_form_kwargs(self):
        # The form works on its own copy: a rejected form must not alter the status panel's object.
        return {**super().get_form_kwargs(), "instance": workshop_of_owner(self.request.user)}

    def get_context_data(self, **kwargs):
        pending = pending_change_of(self.workshop)
        rejected = None if pending else last_rejected_change_of(self.workshop)
        return super().get_context_data(pending_change=pending, rejected_change=rejected, **kwargs)

    def form_valid(self, form):
        with refusal_shown(form) as refused:
            workshop_update_profile(workshop=self.workshop, actor=self.request.user, **form.cleaned_data)
        if refused:
            return self.form_invalid(form)
        if pending_change_of(self.workshop):
            messages.info(
                self.request,
                _("Your details are saved. The change of province or Sheba waits for your coordinator's approval."),
            )
        else:
            messages.success(self.request, _("Your workshop's details are saved."))
        return redirect("workshops:profile")


class CapacityView(OwnerPageMixin, FormView):
    """Units per day for each product and the working weekdays."""

    template_name = "workshops/capacity.html"
    form_class = CapacityForm

    @property
    def in_signup(self) -> bool:
        return self.request.GET.get("signup") == "1"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "workshop": self.workshop}

    def get_context_data(self, **kwargs):
        if self.in_signup:
            kwargs.update(step=4, steps=SIGNUP_STEPS)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        user = self.request.user
        with refusal_shown(form) as refused:
            capacity_update(
                workshop=self.workshop, rates=form.rates(), weekdays=form.cleaned_data["weekdays"], actor=user
            )
        if refused:
            return self.form_invalid(form)
        if self.in_signup:
            messages.success(
                self.request,
                _(
                    "Thank you! Your workshop is registered. A coordinator of your province will check it; "
                    "once it is verified you will receive work offers here."
                ),
            )
        else:
            messages.success(self.request, _("Your capacity and working days are saved."))
        return redirect("home")


class AvailabilityView(OwnerPageMixin, FormView):
    """Days off: the list of current and future periods, and a form to add one."""

    template_name = "workshops/availability.html"
    form_class = UnavailabilityForm

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        periods = days_off_from(self.workshop, today)
        return super().get_context_data(periods=periods, today=today, **kwargs)

    def form_valid(self, form):
        with refusal_shown(form) as refused:
            unavailability_add(workshop=self.workshop, actor=self.request.user, **form.cleaned_data)
        if refused:
            return self.form_invalid(form)
        messages.success(self.request, _("The days off are saved."))
        return redirect("workshops:availability")


class AvailabilityRemoveView(OwnerPageMixin, View):
    """Removes one of her own periods (404 for anyone else's)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        period = get_object_or_404(days_off_of(self.workshop), pk=pk)
        unavailability_remove(period=period, actor=request.user)
        messages.success(request, _("The days off are removed."))
        return redirect("workshops:availability")
