"""Signals rooms send about writes that bypass the model signals (``bulk_create``, COPY, ``QuerySet.update``).

``figures_changed``: rows dated on ``days`` (a set of ``datetime.date`` in Tehran time) were written without
``post_save``; the reports room recomputes its daily figures of those days after the commit, only of
``provinces`` when the sender names them (the province ids the rows' figures are keyed by). Lower rooms may not
import reports, so they announce here and reports listens (``reports.daily_tracking``).
"""

from django.dispatch import Signal

figures_changed = Signal()  # keyword arguments: days, provinces (optional)
