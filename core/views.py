from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, FormView, ListView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import password_reset
from .client_ip import client_ip
from .exports import SafeExportMixin
from .filters import HealthCenterFilter
from .forms_auth import (
    FirstPasswordForm,
    MobileLoginForm,
    PasswordChangeForm,
    PasswordResetCodeForm,
    PasswordResetRequestForm,
)
from .health import broker_status, database_status
from .persian import ui_number
from .refusals import refusal_shown
from .scoping import RoleRequiredMixin
from .selectors import active_products, health_centers_in_scope, health_centers_visible_to
from .tables import HealthCenterTable


class LoginView(auth_views.LoginView):
    form_class = MobileLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


# The number being reset, kept between the two steps so she does not type it twice.
RESET_MOBILE_SESSION_KEY = "password_reset_mobile"


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class PasswordChangeView(LoginRequiredMixin, FormView):
    """Her own new password; without the current one when someone else chose it (``must_change_password``)."""

    template_name = "registration/password_change.html"

    def get_form_class(self):
        return FirstPasswordForm if self.request.user.must_change_password else PasswordChangeForm

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        if self.get_form_class() is PasswordChangeForm:
            kwargs["request"] = self.request
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(forced=self.request.user.must_change_password, **kwargs)

    def form_valid(self, form):
        user = password_reset.password_change(user=self.request.user, new_password=form.cleaned_data["new_password1"])
        # Keeps this session; every other session of hers ends with the old password's hash.
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password was changed."))
        return redirect("home")


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class PasswordResetRequestView(FormView):
    """Step 1: ask for a code by SMS; the answer is the same whether or not the number has an account."""

    template_name = "registration/password_reset_request.html"
    form_class = PasswordResetRequestForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(code_minutes=password_reset.code_minutes(), **kwargs)

    def form_valid(self, form):
        mobile = form.cleaned_data["mobile"]
        with refusal_shown(form) as refused:
            password_reset.password_reset_request(mobile=mobile, ip=client_ip(self.request))
        if refused:
            return self.form_invalid(form)
        self.request.session[RESET_MOBILE_SESSION_KEY] = mobile
        messages.info(
            self.request,
            _("If this number has an account, a code is on its way by SMS. It is valid for %(minutes)s minutes.")
            % {"minutes": ui_number(password_reset.code_minutes())},
        )
        return redirect("password_reset_code")


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class PasswordResetCodeView(FormView):
    """Step 2: the code from the SMS and the new password; then to the login page."""

    template_name = "registration/password_reset_code.html"
    form_class = PasswordResetCodeForm

    def get_initial(self):
        return {"mobile": self.request.session.get(RESET_MOBILE_SESSION_KEY, "")}

    def form_valid(self, form):
        data = form.cleaned_data
        with refusal_shown(form) as refused:
            password_reset.password_reset_confirm(
                mobile=data["mobile"], code=data["code"], new_password=data["new_password1"], ip=client_ip(self.request)
            )
        if refused:
            return self.form_invalid(form)
        self.request.session.pop(RESET_MOBILE_SESSION_KEY, None)
        messages.success(self.request, _("Your new password is set. Log in with it."))
        return redirect("login")


@never_cache
def healthz(request):
    """``{"db": "ok", "broker": "ok"|"eager"|"down"}``; 503 when the database does not answer."""
    payload = {"db": database_status(), "broker": broker_status()}
    return JsonResponse(payload, status=200 if payload["db"] == "ok" else 503)


def favicon(request):
    # Resolved per request: with hashed static files the name is only known after collectstatic.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


class ProductListView(ListView):
    template_name = "core/product_list.html"
    context_object_name = "products"

    def get_queryset(self):
        return active_products()


class HealthCenterListView(RoleRequiredMixin, SafeExportMixin, SingleTableMixin, FilterView):
    capability = "manage_health_centers"
    table_class = HealthCenterTable
    filterset_class = HealthCenterFilter
    template_name = "core/healthcenter_list.html"
    paginate_by = 25
    export_name = "health-centers"

    def get_queryset(self):
        return health_centers_in_scope(self.request.user)


class HealthCenterDetailView(RoleRequiredMixin, DetailView):
    """Coordinators see centers in their provinces; staff see their own center; anything else is 404."""

    capability = "see_health_center"
    template_name = "core/healthcenter_detail.html"
    context_object_name = "center"

    def get_object(self, queryset=None):
        return get_object_or_404(health_centers_visible_to(self.request.user), pk=self.kwargs["pk"])
