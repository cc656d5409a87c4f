"""The home page, which gathers one panel per role from the apps.

It lives in the project package, above all apps, because it reads from every
one of them and the apps themselves only import downwards (core <- workshops
<- orders <- donors).
"""

from django.views.generic import TemplateView

from core.models import Role
from core.offline import allow_offline_copy
from core.selectors import active_products, health_centers_in_scope
from donors.selectors import pledges_of_user, pledges_waiting
from fulfilment.selectors.deliveries import deliveries_to_confirm, disputed_deliveries, ready_health_centers
from fulfilment.selectors.pickups import workshops_to_collect_from
from orders.models import OrderStatus
from orders.selectors import orders_in_scope, orders_in_scope_with_status, orders_of_health_center
from production.selectors.quotas import (
    accepted_quotas_of_owner,
    offers_waiting,
    quota_progress,
    quotas_at_risk,
    quotas_of_owner,
)
from production.selectors.supply import without_offers
from workshops.change_requests import pending_changes_in_scope
from workshops.models import WorkshopStatus
from workshops.selectors import (
    verified_workshops,
    workshop_of_owner,
    workshops_in_scope,
    workshops_waiting_for_verification,
)


class HomeView(TemplateView):
    template_name = "home.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # Only the owner's home may be kept on the phone for offline reading; a coordinator's holds private data.
        if request.user.is_authenticated and request.user.role == Role.WORKSHOP_OWNER:
            allow_offline_copy(response)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["products"] = active_products()
        user = self.request.user
        if not user.is_authenticated:
            return context
        if user.is_coordinator:
            context["coordinator"] = self._coordinator_panel(user)
        elif user.role == Role.WORKSHOP_OWNER:
            context["workshop"] = workshop = workshop_of_owner(user)
            if workshop is not None:
                context["owner_panel"] = self._owner_panel(user, workshop)
        elif user.role == Role.DONOR:
            context["pledges"] = pledges_of_user(user)[:20]
        elif user.role == Role.HEALTH_CENTER_STAFF:
            context["center"] = user.health_center
            context["center_orders"] = orders_of_health_center(user.health_center_id)[:20]
            context["center_deliveries_waiting"] = deliveries_to_confirm(user.health_center_id).count()
        elif user.role == Role.COLLECTOR:
            context["collector_workshops"] = workshops_to_collect_from(user).count()
        return context

    def _owner_panel(self, user, workshop) -> dict:
        quotas = quotas_of_owner(user)
        return {
            # Verified but never offered anything: the page says why and what comes next, not just "0".
            "never_offered": workshop.status == WorkshopStatus.VERIFIED and not quotas.exists(),
            "offered_count": offers_waiting(user).count(),
            "accepted": [(quota, quota_progress(quota)) for quota in accepted_quotas_of_owner(user)],
            "at_risk": quotas_at_risk(workshop),
        }

    def _coordinator_panel(self, user) -> dict:
        workshops = workshops_in_scope(user)
        orders = orders_in_scope(user)
        return {
            "provinces": "all" if user.is_superuser or user.is_national else list(user.provinces.all()),
            "workshops_total": workshops.count(),
            "workshops_pending": workshops_waiting_for_verification(user).count(),
            "workshops_verified": verified_workshops(user).count(),
            "orders_requested": orders_in_scope_with_status(user, OrderStatus.REQUESTED).count(),
            "orders_open": orders_in_scope_with_status(user, OrderStatus.OPEN).count(),
            "orders_active": orders_in_scope_with_status(user, OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION).count(),
            "pledges_waiting": pledges_waiting(user).count(),
            "recent_orders": orders[:10],
            "health_centers": health_centers_in_scope(user).count(),  # COUNT drops the joins
            "workshops_to_collect": workshops_to_collect_from(user).count(),
            "centers_ready": ready_health_centers(user).count(),
            "deliveries_disputed": disputed_deliveries(user).count(),
            "workshops_without_offers": without_offers(workshops).count(),
            "workshop_changes": pending_changes_in_scope(user).count(),
        }
