from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """Django's makemessages without fuzzy matching.

    A guessed ("fuzzy") translation of a new string is usually wrong (it once
    turned "production quota" into "in production") and gettext ignores it at
    run time anyway, so new strings arrive empty and get translated properly.
    """

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
