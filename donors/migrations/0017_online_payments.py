import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import core.fields
from core.notifications.schedules import DailySchedule, ensure_daily_schedules

# Written out, not imported from donors.online.tasks, so this migration keeps meaning what it meant.
SCHEDULES = (
    DailySchedule(
        name="Online giving: ask the bank about pending payments",
        task="donors.online.tasks.online_payments_recheck",
        hour="*",
        minute="*/10",
        description="Every 10 minutes: pending online payments are verified again, then paid, or expired after "
        "ONLINE_GIVING_EXPIRE_MINUTES.",
    ),
)


def create_schedule(apps, schema_editor):
    ensure_daily_schedules(
        SCHEDULES,
        crontab_model=apps.get_model("django_celery_beat", "CrontabSchedule"),
        periodic_task_model=apps.get_model("django_celery_beat", "PeriodicTask"),
        periodic_tasks_model=apps.get_model("django_celery_beat", "PeriodicTasks"),
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SCHEDULES[0].name).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("donors", "0016_ledger_day_seals"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OnlinePayment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("amount_rials", core.fields.RialField(verbose_name="amount (rials)")),
                ("gateway", models.CharField(max_length=20, verbose_name="gateway")),
                ("guest_mobile", models.CharField(blank=True, max_length=11, verbose_name="guest's mobile")),
                (
                    "authority",
                    models.CharField(blank=True, max_length=64, null=True, unique=True, verbose_name="authority"),
                ),
                ("result_key", models.CharField(editable=False, max_length=32, unique=True, verbose_name="result key")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for the bank"),
                            ("paid", "Paid"),
                            ("failed", "Not paid"),
                            ("expired", "Expired"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("bank_reference", models.CharField(blank=True, max_length=64, verbose_name="bank reference")),
                ("bank_answer", models.CharField(blank=True, max_length=200, verbose_name="bank's answer")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("settled_at", models.DateTimeField(blank=True, null=True, verbose_name="settled at")),
                ("checks", models.PositiveIntegerField(default=0, verbose_name="times asked the bank")),
                (
                    "pledge",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="online_payment",
                        to="donors.pledge",
                        verbose_name="pledge",
                    ),
                ),
                (
                    "started_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="started by",
                    ),
                ),
            ],
            options={
                "verbose_name": "online payment",
                "verbose_name_plural": "online payments",
                "ordering": ["-created_at", "-id"],
                "indexes": [models.Index(fields=["status", "created_at"], name="online_payment_pending")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["pending", "paid", "failed", "expired"])),
                        name="online_payment_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "paid"), _negated=True),
                            models.Q(("bank_reference", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="online_payment_paid_has_reference",
                    ),
                ],
            },
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
