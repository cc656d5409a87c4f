from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from core import views as core_views
from core.forms_auth import AdminMobileLoginForm
from orders import urls as order_urls
from production.urls import allocation as allocation_urls
from sms_commands import views as sms_views
from transparency import urls as transparency_urls
from transparency.api import api as open_data_api

from . import offline
from .views import HomeView

admin.site.site_header = _("Hamdeli administration")
admin.site.site_title = _("Hamdeli")
admin.site.index_title = _("Administration")
# The admin's login takes the number as the main login does; both reach the lockout through core.auth.
admin.site.login_form = AdminMobileLoginForm

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    # The installable app: served from the root so the worker's scope covers the owner's pages (hamdeli/offline.py).
    path("sw.js", offline.service_worker, name="service-worker"),
    path("manifest.webmanifest", offline.web_manifest, name="web-manifest"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", core_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/reset/", core_views.PasswordResetRequestView.as_view(), name="password_reset"),
    path("accounts/password/reset/code/", core_views.PasswordResetCodeView.as_view(), name="password_reset_code"),
    # One change page for everyone: the admin's own checks the current password outside the lockout.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    # Workshop owner: sign-up, profile, capacity and calendar (workshops app).
    path("", include("workshops.urls")),
    # Anyone: the showcase of listed workshops, buyers' inquiries, listing photos (sales app). Before the owner's
    # pages: tests/test_permission_matrix.py probes in this order, and the owner's "revoke" hides the listing.
    path("showcase/", include("sales.urls.public")),
    # Workshop owner: her showcase listing, photos, consent and buyers' inquiries (sales app).
    path("workshop/listing/", include("sales.urls.owner")),
    # Workshop owner: quota inbox, output reports, history (production app, where quotas live).
    path("workshop/", include("production.urls.owner")),
    # Workshop owner: payouts received (payouts app).
    path("workshop/payouts/", include("payouts.urls.owner")),
    # Coordinator: workshop list and detail, supply summary (production app: they show quotas too).
    path("coordinator/", include("production.urls.supply")),
    # Coordinator: pledges, confirmations, campaigns, donors (donors app).
    path("coordinator/donations/", include("donors.urls.coordinator")),
    # Coordinator: payout batches to workshops (payouts app).
    path("coordinator/payouts/", include("payouts.urls.batches")),
    # Coordinator: review of her provinces' showcase listings and the marketplace export (sales app).
    path("coordinator/listings/", include("sales.urls.review")),
    # Coordinator (and appointed collectors): pickups with quality check, deliveries, printed sheets (fulfilment app).
    path("coordinator/pickups/", include("fulfilment.urls.pickups")),
    path("coordinator/deliveries/", include("fulfilment.urls.deliveries")),
    path("coordinator/sheets/", include("fulfilment.urls.sheets")),
    # Receiver of a delivery: confirmation by the sheet's link (no login) or in-app for health-center staff.
    path("receive/", include("fulfilment.urls.receiving")),
    # Donor: sign-up, funding board, pledging, my giving (donors app).
    path("giving/", include("donors.urls.donor")),
    # Anyone: giving online through a bank's gateway, the bank's return and the result (donors/online).
    path("giving/online/", include("donors.urls.online")),
    # Orders (orders app) and, under the same prefix and namespace, the allocation desk (production app).
    path("orders/", include(([*order_urls.urlpatterns, *allocation_urls.urlpatterns], order_urls.app_name))),
    path("receipts/", include("donors.urls.receipts")),
    # Coordinator: dashboard and thematic reports (reports app, above all others).
    path("coordinator/reports/", include("reports.urls")),
    # The SMS gateway's "received message" callback (secret in the URL) and the coordinator's log (sms_commands).
    path("sms/inbound/<str:secret>/", sms_views.gateway_callback, name="sms-inbound"),
    path("coordinator/sms/", include("sms_commands.urls")),
    # National coordinator: crisis severity of provinces and cities (crisis app, just above core).
    path("coordinator/severity/", include("crisis.urls")),
    # Anyone: the campaign's results, added up (transparency app, above reports).
    path("results/", include("transparency.urls")),
    # Coordinator: her keys to the open-data API's province endpoints (transparency app).
    path("coordinator/api-tokens/", include((transparency_urls.token_urlpatterns, "api-tokens"))),
    # Anyone: the read-only open-data API, version 1 (transparency app).
    path("api/v1/", open_data_api.urls),
]

if settings.ONLINE_GIVING_GATEWAY == "mock":
    # The project's own bank (Zarinpal v4): development and tests only; never mounted for the real gateway.
    urlpatterns.append(path("mock-bank/", include("donors.urls.mock_bank")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
