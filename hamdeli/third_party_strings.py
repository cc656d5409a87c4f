"""Third-party admin strings, listed here only so ``makemessages`` extracts them.

This module is never imported at runtime. django_celery_beat and
django_celery_results mark their app and model names for translation, but
django_celery_results ships no Persian catalogue and django_celery_beat's
Persian uses colloquial terms. Django looks in LOCALE_PATHS before any app's
own ``locale`` folder, so translating these exact msgids in
``locale/fa/LC_MESSAGES/django.po`` makes the admin index show them in Persian.

Each string below is copied verbatim from the installed packages
(``django_celery_beat/apps.py``, ``django_celery_beat/models.py``,
``django_celery_results/apps.py``, ``django_celery_results/models.py``).
The admin capitalises the first letter itself ("task results" -> "Task
results"), so the lower-case originals are what must be translated. If a
package upgrade changes one of them, update it here and re-run makemessages.
"""

from django.utils.translation import gettext_lazy as _

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
    # django_celery_results: app verbose_name
    _("Celery Results"),
    # django_celery_results: model verbose_name / verbose_name_plural
    _("task result"),
    _("task results"),
    _("group result"),
    _("group results"),
)
