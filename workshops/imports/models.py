"""An uploaded spreadsheet of workshops or health centers (app label ``workshops``, imported by its models)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField


class ImportKind(models.TextChoices):
    WORKSHOPS = "workshops", _("Workshops")
    HEALTH_CENTERS = "health-centers", _("Health centers")


class DirectoryImport(models.Model):
    """One upload, kept between the preview and the confirmation.

    The file's bytes are kept (at most 2 MB, refused above that before a row is made) rather than the rows
    parsed at upload: the confirmation parses and checks them again inside its transaction, so what is
    imported is what the database allows at that moment, and the SHA-256 the preview showed must come back
    with the confirmation. The bytes are dropped once imported.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = PersianCharField(_("file name"), max_length=200)
    file_sha256 = models.CharField(_("file fingerprint"), max_length=64, editable=False)
    content = models.BinaryField(_("file content"), editable=False)
    # Set when she confirms: the import then runs in the background (workshops.tasks), a few minutes for 5,000 rows.
    queued_at = models.DateTimeField(_("import requested at"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # What the confirmation did, by row status: {"created": n, "present": n, "error": n}.
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        app_label = "workshops"
        verbose_name = _("directory import")
        verbose_name_plural = _("directory imports")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["workshops", "health-centers"]), name="directory_import_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name
