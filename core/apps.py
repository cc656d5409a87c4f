from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Foundation")

    def ready(self) -> None:
        from .roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="core.sync_role_groups")

        from . import user_cache
        from .models import User

        post_save.connect(user_cache.forget_saved, sender=User, dispatch_uid="core.user_cache.saved")
        post_delete.connect(user_cache.forget_saved, sender=User, dispatch_uid="core.user_cache.deleted")
        request_finished.connect(user_cache.forget_prefetched, dispatch_uid="core.user_cache.request_finished")
