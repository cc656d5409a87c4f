"""Third-party admin strings, listed here only so ``makemessages`` extracts them.

This module is never imported at runtime. django_celery_beat marks its app
and model names for translation, but its Persian is incomplete and uses
colloquial terms ("تسک"). Django's own admin catalogue also leaves a few
strings untranslated in Persian (e.g. the "Model name" column header on the
admin index). Django looks in LOCALE_PATHS
before any app's own ``locale`` folder, so translating these exact msgids in
``locale/fa/LC_MESSAGES/django.po`` makes the admin show them in Persian.

Each string below is copied verbatim from the installed packages
(``django_celery_beat/apps.py``, ``models.py``, ``admin.py``; Django's admin templates,
``contrib/admin/options.py``, ``contrib/auth/admin.py``, ``forms.py`` and
``password_validation.py``; ``django/db/models/constraints.py``).
The admin capitalises the first letter itself ("periodic tasks" -> "Periodic
tasks"), so the lower-case originals are what must be translated. If a
package upgrade changes one of them, update it here and re-run makemessages.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

THIRD_PARTY_STRINGS = (
    # django_celery_beat: app verbose_name
    _("Periodic Tasks"),
    # django_celery_beat: model verbose_name / verbose_name_plural
    _("solar event"),
    _("solar events"),
    _("interval"),
    _("intervals"),
    _("clocked"),
    _("crontab"),
    _("crontabs"),
    _("periodic task track"),
    _("periodic task tracks"),
    _("periodic task"),
    _("periodic tasks"),
    # django_celery_beat: inline title on the schedule change pages (admin.py)
    _("Periodic Tasks Using This Schedule"),
    # Django admin strings with no Persian in Django's own catalogue
    _("Model name"),
    _("Breadcrumbs"),
    _("Select this object for an action - {}"),
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", "count"),
    ngettext_lazy("entry", "entries", "count"),
    _("This action will <strong>enable</strong> password-based authentication for this user."),
    _("In case you’ve forgotten, you are:"),
    # django.contrib.auth strings (user pages in the admin) missing from Django's Persian
    _("Reset password"),
    _("Raw passwords are not stored, so there is no way to see the user’s password."),
    _("Enable password-based authentication for this user by setting a password."),
    _("Password-based authentication"),
    _("Enabled"),
    _("Disabled"),
    _(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still "
        "be able to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
    _("Password-based authentication was disabled."),
    _("Conflicting form data submitted. Please try again."),
    _("Set password: %s"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "count",
    ),
    # Django core: default message of a violated model constraint (CheckConstraint)
    _("Constraint “%(name)s” is violated."),
)
