"""What ``ledger_check`` and ``integrity_check`` share: list the problems and fail, or say what was checked."""

from django.core.management.base import BaseCommand, CommandError


class CheckCommand(BaseCommand):
    """Exits non-zero with one ``- problem`` line each on stderr, so CI and a nightly cron job can alert on it."""

    def problems(self) -> list[str]:
        raise NotImplementedError

    def failure(self, count: int) -> str:
        """The error's message when ``count`` problems were found."""
        raise NotImplementedError

    def summary(self) -> str:
        """The line printed when all is well."""
        raise NotImplementedError

    def handle(self, *args, **options):
        problems = self.problems()
        if problems:
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(self.failure(len(problems)))
        self.stdout.write(self.summary())
