"""Send tasks to a real broker in a test, whatever broker (or none) the suite itself runs with."""

import os
from contextlib import contextmanager

from hamdeli.celery import app


@contextmanager
def broker_at(url: str):
    """Tasks are published (not run eagerly) to ``url`` inside the block.

    Celery reads ``CELERY_BROKER_URL`` from the environment before its own
    setting, so the environment is switched too: CI's PostgreSQL run sets it.
    """
    saved_env = os.environ.get("CELERY_BROKER_URL")
    saved = app.conf.task_always_eager, app.conf.broker_url
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.task_always_eager, app.conf.broker_url = False, url
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
