"""core.i18n: one rule for "is this page Persian?"."""

import pytest
from django.utils import translation

from core.i18n import page_is_persian, page_language


@pytest.mark.parametrize(
    ("active", "persian"),
    [("fa", True), ("en", False), ("en-gb", False), (None, True)],  # None: no language active, as in a task
)
def test_every_language_but_english_is_persian_and_so_is_none(active, persian):
    with translation.override(active):
        assert page_is_persian() is persian
        assert page_language() == ("fa" if persian else "en")
