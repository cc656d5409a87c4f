"""The small web fonts carry every character the site writes, and app.css says exactly which (core/fonts.py)."""

import pytest
from fontTools.ttLib import TTFont

from core import fonts


@pytest.mark.parametrize("weight", fonts.WEIGHTS)
def test_every_character_of_the_templates_and_translations_is_in_the_small_font(weight):
    full = set(TTFont(fonts.FONT_DIR / f"Vazirmatn-{weight}.ttf").getBestCmap())
    in_subset = set(fonts.subset_codepoints(fonts.subset_path(weight)))
    missing = {chr(code) for code in map(ord, fonts.characters_in_use()) if code in full and code not in in_subset}
    assert not missing, f"run `python manage.py subset_fonts`: the subset lacks {sorted(missing)}"


@pytest.mark.parametrize("weight", fonts.WEIGHTS)
def test_the_small_font_keeps_the_whole_persian_alphabet_and_both_kinds_of_digits(weight):
    in_subset = set(fonts.subset_codepoints(fonts.subset_path(weight)))
    for char in "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئء" + "۰۱۲۳۴۵۶۷۸۹" + "٠١٢٣٤٥٦٧٨٩" + "\u200c":
        assert ord(char) in in_subset, char


@pytest.mark.parametrize("weight", fonts.WEIGHTS)
def test_the_small_font_is_under_a_fifth_of_the_owners_first_visit_budget(weight):
    assert fonts.subset_path(weight).stat().st_size < 22_000  # of issue 18's 80 KB first visit


def test_app_css_declares_the_ranges_the_font_files_really_cover():
    declared = fonts.declared_ranges(fonts.APP_CSS.read_text(encoding="utf-8"))
    for weight in fonts.WEIGHTS:
        subset = fonts.subset_codepoints(fonts.subset_path(weight))
        assert declared[fonts.subset_path(weight).name] == fonts.unicode_range(subset)
        # The full file only for what the subset lacks: a glyph neither has (☰) must not fetch 50 KB for nothing.
        assert declared[f"Vazirmatn-{weight}.woff2"] == fonts.unicode_range(fonts.full_font_rest(weight))
        assert "U+2630" not in declared[f"Vazirmatn-{weight}.woff2"]


def test_unicode_range_folds_consecutive_code_points():
    assert fonts.unicode_range([0x20, 0x21, 0x22, 0x41, 0x6F0, 0x6F1]) == "U+20-22, U+41, U+6F0-6F1"
    assert fonts.unicode_range([]) == ""


def test_the_layout_preloads_the_small_regular_font(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Vazirmatn-Regular-subset" in html
    assert 'as="font"' in html
