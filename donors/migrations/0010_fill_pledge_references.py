"""Every pledge made before references existed gets one, so coordinators can find it by it too."""

import secrets

from django.db import migrations


def luhn_valid(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def new_reference(taken: set[str]) -> str:
    # The same shape as donors.models.new_pledge_reference (frozen here: migrations must not import app code).
    while True:
        body = str(secrets.randbelow(9) + 1) + "".join(secrets.choice("0123456789") for _ in range(5))
        reference = body + next(d for d in "0123456789" if luhn_valid(body + d))
        if reference not in taken:
            taken.add(reference)
            return reference


def fill_references(apps, schema_editor):
    Pledge = apps.get_model("donors", "Pledge")
    taken = set(Pledge.objects.exclude(reference=None).values_list("reference", flat=True))
    for pledge in Pledge.objects.filter(reference=None).only("pk"):
        Pledge.objects.filter(pk=pledge.pk).update(reference=new_reference(taken))


class Migration(migrations.Migration):
    dependencies = [("donors", "0009_payment_accounts_and_pledge_reference")]

    operations = [migrations.RunPython(fill_references, migrations.RunPython.noop)]
