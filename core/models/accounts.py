from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import MobileNumberField, PersianCharField
from ..validators import normalize_mobile
from .geography import Province
from .healthcenters import HealthCenter


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    WORKSHOP_OWNER = "workshop_owner", _("Workshop owner")
    DONOR = "donor", _("Donor")
    HEALTH_CENTER_STAFF = "health_center_staff", _("Health-center staff")
    # Appointed by a coordinator to record pickups in her provinces (``provinces`` holds them).
    COLLECTOR = "collector", _("Collector")


class UserQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """``QuerySet.update`` that also drops the signed-in users' cached copies (``core.user_cache``)."""
        from ..user_cache import enabled, forget

        if not enabled():
            return super().update(**kwargs)
        pks = list(self.values_list("pk", flat=True))
        updated = super().update(**kwargs)
        forget(pks)
        return updated


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, mobile, password, **extra):
        if not mobile:
            raise ValueError("A mobile number is required.")
        user = self.model(mobile=normalize_mobile(mobile), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, mobile, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(mobile, password, **extra)

    def create_superuser(self, mobile, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("role", Role.COORDINATOR)
        extra.setdefault("is_national", True)
        return self._create_user(mobile, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: normalize_mobile(username)})


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who logs in, identified by an Iranian mobile number.

    ``role`` decides which pages a user sees; the scope fields narrow what
    they see: a coordinator's ``provinces`` (or ``is_national``), a
    health-center staff member's ``health_center``. Workshop owners and donors
    are scoped to their own records by the apps that hold them.
    """

    mobile = MobileNumberField(_("mobile number"), unique=True)
    full_name = PersianCharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_national = models.BooleanField(
        _("national coordinator"), default=False, help_text=_("Sees every province. Only for coordinators.")
    )
    provinces = models.ManyToManyField(
        Province, blank=True, related_name="coordinators", verbose_name=_("provinces coordinated")
    )
    health_center = models.ForeignKey(
        HealthCenter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("health center"),
    )
    is_staff = models.BooleanField(_("admin access"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Demo accounts (seed_demo) share a published password; the login backend refuses them when DEBUG=0.
    is_demo = models.BooleanField(_("demo account"), default=False, editable=False)
    # How the user wants to hear from us (core.notifications); reminders are the daily scheduled messages.
    notify_by_sms = models.BooleanField(_("notify me by SMS"), default=True)
    notify_by_email = models.BooleanField(_("notify me by email"), default=False)
    reminders_opt_out = models.BooleanField(
        _("no daily reminders"), default=False, help_text=_("Stop the daily reminder and digest messages.")
    )
    # Set when a coordinator or an admin chose the password (core.middleware.ForcePasswordChangeMiddleware
    # keeps her on the change page until she picks her own); cleared by every change or reset.
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Someone else set this password: ask for a new one at the next login."),
    )

    objects = UserManager()

    USERNAME_FIELD = "mobile"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=models.Q(is_national=False) | models.Q(role=Role.COORDINATOR),
                name="user_national_only_for_coordinators",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.HEALTH_CENTER_STAFF) | models.Q(health_center__isnull=False),
                name="user_health_center_staff_has_center",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.mobile})"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR or self.is_superuser

    @property
    def is_workshop_owner(self) -> bool:
        return self.role == Role.WORKSHOP_OWNER

    @property
    def is_donor(self) -> bool:
        return self.role == Role.DONOR

    @property
    def is_health_center_staff(self) -> bool:
        return self.role == Role.HEALTH_CENTER_STAFF

    @property
    def is_collector(self) -> bool:
        return self.role == Role.COLLECTOR


class PasswordResetCode(models.Model):
    """A one-time SMS code that lets a user who forgot her password choose a new one.

    Only a hash of the six digits is kept, so a database dump does not hand out
    resets. A code is good until ``expires_at`` and for ``PASSWORD_RESET_MAX_ATTEMPTS``
    wrong tries; asking for a new code retires the older ones (``used_at``), and a
    successful reset retires it too. Rows are per user: a number with no account
    gets no row and no SMS, yet the same answer on the page.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="password_reset_codes", verbose_name=_("user")
    )
    code_hash = models.CharField(_("code hash"), max_length=128)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("password reset code")
        verbose_name_plural = _("password reset codes")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Only live codes are ever looked up: keep that index small.
            models.Index(
                fields=["user", "-created_at"], condition=models.Q(used_at__isnull=True), name="reset_code_live_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"
