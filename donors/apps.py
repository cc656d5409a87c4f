from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonorsConfig(AppConfig):
    name = "donors"
    verbose_name = _("Donors")

    def ready(self):
        # The ledger is where an order's confirmed money lives: plug it into the orders' funding seam
        # (orders may not import donors, so donors hands its readers over).
        from orders import funding

        from .ledger import selectors as ledger

        funding.register_funds_source(
            for_order=ledger.order_applied_funds, expression=ledger.order_applied_funds_expression
        )
