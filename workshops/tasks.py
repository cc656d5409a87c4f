"""Background work of the workshops app: the import of a confirmed spreadsheet (``workshops.imports``)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError

from .imports.models import DirectoryImport
from .imports.services import directory_import_confirm

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def directory_import_run(upload_id: int) -> None:
    """Import a confirmed upload once: a second delivery (or a second click) finds it imported and stops.

    The import is one transaction that re-checks every row, so a worker stopped mid-way leaves nothing behind
    and the redelivered task starts over.
    """
    upload = DirectoryImport.objects.select_related("uploaded_by").filter(pk=upload_id).first()
    if upload is None or upload.imported_at is not None:
        return
    try:
        directory_import_confirm(actor=upload.uploaded_by, upload=upload, sha256=upload.file_sha256)
    except (ValidationError, PermissionDenied) as error:
        # Imported by a twin a moment ago, or the file no longer fits the template (a product taken off sale):
        # the preview page says why when it checks the file again.
        logger.info("Directory import %s not run: %s", upload_id, error)
        DirectoryImport.objects.filter(pk=upload_id, imported_at__isnull=True).update(queued_at=None)
