"""The ledger, the receipts and the payment accounts are rooms inside donors: same app, same tables, same names.

Their models moved into ``donors/ledger/``, ``donors/receipts/`` and ``donors/payments/`` without a migration, so
they must stay the app's models (label ``donors``, tables ``donors_*``, the content types and permissions the
admin and the audit trail use), and the receipt task must keep the name queued messages carry.
"""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from donors.ledger.models import LedgerEntry
from donors.payments.models import PaymentAccount
from donors.receipts.models import Receipt
from donors.receipts.tasks import receipt_generate


@pytest.mark.parametrize(
    ("model", "room", "table"),
    [
        (LedgerEntry, "donors.ledger.models", "donors_ledgerentry"),
        (Receipt, "donors.receipts.models", "donors_receipt"),
        (PaymentAccount, "donors.payments.models", "donors_paymentaccount"),
    ],
)
def test_a_room_model_is_still_a_donors_model_on_its_old_table(db, model, room, table):
    assert model.__module__ == room
    assert model._meta.app_label == "donors"
    assert model._meta.db_table == table
    assert apps.get_model("donors", model.__name__) is model
    content_type = ContentType.objects.get_for_model(model)
    assert (content_type.app_label, content_type.model) == ("donors", model.__name__.lower())


def test_the_receipt_task_keeps_its_registered_name():
    assert receipt_generate.name == "donors.tasks.receipt_generate"
