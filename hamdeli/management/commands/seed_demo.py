from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hamdeli.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo world (idempotent). Refused when DEBUG=0: demo accounts share a published password."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run with DEBUG=0: demo accounts have a published password.")
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/accounts/login/"))
        self.stdout.write(f"Password for every demo account: {settings.DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.role:<30} {login.mobile}  {login.name}")
