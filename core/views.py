from django.contrib.auth import views as auth_views
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .exports import SafeExportMixin
from .filters import HealthCenterFilter
from .forms_auth import MobileLoginForm
from .health import broker_status, database_status
from .models import HealthCenter, Product, Role
from .scoping import RoleRequiredMixin, scope_by_province
from .tables import HealthCenterTable


class LoginView(auth_views.LoginView):
    form_class = MobileLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


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
    queryset = Product.objects.filter(is_active=True)
    context_object_name = "products"


class HealthCenterListView(RoleRequiredMixin, SafeExportMixin, SingleTableMixin, FilterView):
    allowed_roles = (Role.COORDINATOR,)
    table_class = HealthCenterTable
    filterset_class = HealthCenterFilter
    template_name = "core/healthcenter_list.html"
    paginate_by = 25
    export_name = "health-centers"

    def get_queryset(self):
        return scope_by_province(HealthCenter.objects.select_related("province", "city"), self.request.user)


class HealthCenterDetailView(RoleRequiredMixin, DetailView):
    """Coordinators see centers in their provinces; staff see their own center; anything else is 404."""

    allowed_roles = (Role.COORDINATOR, Role.HEALTH_CENTER_STAFF)
    template_name = "core/healthcenter_detail.html"
    context_object_name = "center"

    def get_object(self, queryset=None):
        user = self.request.user
        centers = HealthCenter.objects.select_related("province", "city")
        if user.role == Role.HEALTH_CENTER_STAFF and not user.is_superuser:
            centers = centers.filter(pk=user.health_center_id)
        else:
            centers = scope_by_province(centers, user)
        return get_object_or_404(centers, pk=self.kwargs["pk"])
