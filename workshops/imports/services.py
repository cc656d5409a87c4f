"""Upload a spreadsheet, then import its valid rows; the same file twice changes nothing.

``directory_upload`` keeps the file (refusing one that cannot be read or lacks the template's columns) and
imports nothing. ``directory_import_request`` (the confirm button) queues the import: 5,000 rows take longer
than a page may (each goes through the sign-up's services), so a worker runs it (``workshops.tasks``; in-process
without a broker). ``directory_import_confirm``, which the task calls, locks the upload, parses and checks every
row again and, per row, creates what is new: a row with an error is left out and listed, the others are imported
(not all or nothing: a coordinator fixes the few bad rows and uploads the file again, where the imported ones
show as already present). Each new row is created in a savepoint, so a row that a concurrent sign-up made a
duplicate of a moment ago becomes "already present" instead of stopping the rest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_action
from core.models import City, HealthCenter, Product, Role, User
from core.outbox import enqueue
from core.permissions import user_can
from core.persian import normalize_text
from core.services import user_create

from ..services import capacity_set, workshop_register
from .files import read_sheet
from .models import DirectoryImport, ImportKind
from .notifications import notify_owner_invited
from .rows import ERROR, NEW, PRESENT, RowCheck, check_rows

CAPABILITY = "import_directory"


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    present: int
    errors: int


def _require(actor: User) -> None:
    if not user_can(actor, CAPABILITY):
        raise PermissionDenied


@transaction.atomic
def directory_upload(*, actor: User, kind: str, file_name: str, content: bytes) -> DirectoryImport:
    """Keep the file for its preview; refuse (on ``file``) one that cannot be read or lacks the template's columns."""
    _require(actor)
    kind = ImportKind(kind)
    check_rows(kind, read_sheet(content, file_name), actor)  # a file-level refusal comes now, not at the confirm
    upload = DirectoryImport(
        uploaded_by=actor,
        kind=kind,
        file_name=normalize_text(file_name)[-200:] or "upload",
        file_sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
    upload.full_clean(exclude=["content"])
    upload.save()
    log_action(
        actor=actor, obj=upload, action="directory_import.upload", changes={"file_sha256": [None, upload.file_sha256]}
    )
    return upload


def _refuse_unless_importable(actor: User, upload: DirectoryImport, sha256: str) -> None:
    if upload.uploaded_by_id != actor.pk:
        # The import runs as the uploader, in her provinces: another coordinator uploads the file herself.
        raise ValidationError(_("Only the coordinator who uploaded this file can import it."))
    if upload.imported_at is not None:
        raise ValidationError(_("This file was imported already; upload it again to see what it holds now."))
    if sha256 != upload.file_sha256:
        raise ValidationError(_("This is not the file the preview showed; upload it again."))


@transaction.atomic
def directory_import_request(*, actor: User, upload: DirectoryImport, sha256: str) -> DirectoryImport:
    """Queue the import of the file the preview showed (a second click queues it again: the task runs once)."""
    _require(actor)
    upload = DirectoryImport.objects.select_for_update().get(pk=upload.pk)
    _refuse_unless_importable(actor, upload, sha256)
    from ..tasks import directory_import_run  # the task module imports this one

    first = upload.queued_at is None
    upload.queued_at = timezone.now()
    upload.save(update_fields=["queued_at"])
    if first:
        log_action(actor=actor, obj=upload, action="directory_import.request", changes={"queued": [False, True]})
    enqueue(directory_import_run, upload.pk, obj=upload)
    return upload


def directory_preview(*, actor: User, upload: DirectoryImport) -> list[RowCheck]:
    """The rows as the confirmation would find them now (read only)."""
    return check_rows(upload.kind, read_sheet(bytes(upload.content), upload.file_name), actor)


@transaction.atomic
def directory_import_confirm(*, actor: User, upload: DirectoryImport, sha256: str) -> ImportOutcome:
    """Import the upload's valid new rows; rows already present are left alone, rows with errors left out."""
    _require(actor)
    upload = DirectoryImport.objects.select_for_update().get(pk=upload.pk)
    _refuse_unless_importable(actor, upload, sha256)
    rows = check_rows(upload.kind, read_sheet(bytes(upload.content), upload.file_name), actor)
    create = _workshop_create if upload.kind == ImportKind.WORKSHOPS else _health_center_create
    for row in rows:
        if row.status != NEW:
            continue
        try:
            with transaction.atomic():
                create(row.values, actor)
        except IntegrityError:
            row.status = PRESENT  # made by a sign-up or another import a moment ago
        except ValidationError as error:
            for message in error.messages:
                row.refuse(message)
    outcome = ImportOutcome(
        created=sum(row.status == NEW for row in rows),
        present=sum(row.status == PRESENT for row in rows),
        errors=sum(row.status == ERROR for row in rows),
    )
    upload.imported_at = timezone.now()
    upload.result = {
        "created": outcome.created,
        "present": outcome.present,
        "errors": outcome.errors,
        "rows": [row.as_result() for row in rows],
    }
    upload.content = b""  # no longer needed; the result keeps what happened to each row
    upload.save(update_fields=["imported_at", "result", "content"])
    log_action(
        actor=actor,
        obj=upload,
        action="directory_import.confirm",
        changes={
            "created": [None, outcome.created],
            "present": [None, outcome.present],
            "errors": [None, outcome.errors],
        },
    )
    return outcome


def _workshop_create(values: dict, actor: User) -> None:
    """The owner's account (no usable password: she chooses one from the invitation), her pending workshop."""
    owner = user_create(
        mobile=values["mobile"], full_name=values["full_name"], role=Role.WORKSHOP_OWNER, password=None, actor=actor
    )
    workshop = workshop_register(
        owner=owner,
        name=values["name"],
        national_id=values["national_id"],
        city=City.objects.select_related("province").get(pk=values["city_pk"]),
        address=values["address"],
        sheba=values["sheba"] or "",
        sewing_machines=values["sewing_machines"],
        workers=values["workers"],
        actor=actor,
        note="imported from a spreadsheet",
    )
    for product_pk, units in values["capacities"]:
        capacity_set(workshop=workshop, product=Product.objects.get(pk=product_pk), units_per_day=units, actor=actor)
    notify_owner_invited(workshop)


def _health_center_create(values: dict, actor: User) -> None:
    city = City.objects.select_related("province").get(pk=values["city_pk"])
    center = HealthCenter(
        name=values["name"],
        kind=values["kind"],
        province=city.province,
        city=city,
        address=values["address"],
        phone=values["phone"],
        contact_person=values["contact_person"],
    )
    try:
        center.full_clean()
    except ValidationError as error:
        if "__all__" in error.message_dict:
            raise IntegrityError from error  # the unique name in its city: a twin made it a moment ago
        raise
    center.save()
    log_action(actor=actor, obj=center, action="healthcenter.import", changes={"name": [None, center.name]})
