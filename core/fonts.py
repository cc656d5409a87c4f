"""The web font subset: which characters the small Vazirmatn files carry, and the CSS ``unicode-range`` that says so.

An owner on a metered 3G connection pays for every byte. The full Vazirmatn
woff2 files are about 50 KB each, mostly glyphs for languages the site never
shows; the subsets (``static/fonts/vazirmatn/*-subset.woff2``, about 18 KB) keep
the Persian alphabet, both kinds of Eastern digits, Latin, the punctuation the
pages use, and every character found in the templates, the Persian
translations and the geography data, with the shaping features (joining forms,
marks, kerning). ``app.css`` declares the full files first and the subsets
last: the browser checks the last matching rule first (CSS Fonts 4, §4.5), so a
page whose characters all fall in the subset's ``unicode-range`` never
downloads the full file, and a name with a rare letter still renders in
Vazirmatn. PDFs keep using the full TTF files.

``python manage.py subset_fonts`` rewrites the subset files and prints the
``unicode-range`` for ``app.css``; ``tests/core/test_font_subset.py`` fails when a
new template or translation uses a character the subset lacks.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from django.conf import settings

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts" / "vazirmatn"
WEIGHTS = ("Regular", "Bold")

# What people type even when no template uses it yet: the whole Persian alphabet with the Arabic letters
# Iranian names and addresses carry, short vowels and the hamza marks, both digit sets, and the joiners.
PERSIAN_LETTERS = "آاأإءئؤبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةۀىٱ"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0654\u0670"
DIGITS = "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
PUNCTUATION = (
    "،؛؟٫٬«»ـ٪"
    "\u00a0\u00ab\u00bb\u00d7\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022\u2190\u2192\u2212"
    "\u200c\u200d\u200e\u200f"
)
ASCII = "".join(chr(code) for code in range(0x20, 0x7F))

# Layout features the subset keeps: Arabic joining and marks, ligatures, kerning (about 3 KB of the 18).
LAYOUT_FEATURES = ["init", "medi", "fina", "isol", "rlig", "ccmp", "mark", "mkmk", "locl", "liga", "calt", "kern"]


def _texts_in_use() -> list[str]:
    base = Path(settings.BASE_DIR)
    texts = [path.read_text(encoding="utf-8") for path in sorted((base / "templates").rglob("*.html"))]
    po = base / "locale" / "fa" / "LC_MESSAGES" / "django.po"
    if po.exists():
        texts.append("".join(re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', po.read_text(encoding="utf-8"), re.M)))
    texts.extend(path.read_text(encoding="utf-8") for path in sorted((base / "core" / "data").glob("*.csv")))
    return texts


def characters_in_use() -> set[str]:
    """Every non-control character of the templates, the Persian translations and the bundled geography data."""
    used = set()
    for text in _texts_in_use():
        used.update(char for char in text if ord(char) >= 0x20 and char not in "\x7f")
    return used


def subset_characters(full_font_cmap: set[int]) -> list[int]:
    """The code points the subset carries: the base set and what the site uses, where the full font has a glyph."""
    wanted = set(PERSIAN_LETTERS + MARKS + DIGITS + PUNCTUATION + ASCII) | characters_in_use()
    return sorted(code for code in map(ord, wanted) if code in full_font_cmap)


def unicode_range(codepoints: list[int]) -> str:
    """``U+20-7E, U+AB, ...``: consecutive code points folded into ranges, as CSS ``unicode-range`` wants."""
    parts: list[str] = []
    start = previous = None
    for code in [*sorted(codepoints), None]:
        if start is not None and (code is None or code != previous + 1):
            parts.append(f"U+{start:X}" if start == previous else f"U+{start:X}-{previous:X}")
            start = None
        if code is not None and start is None:
            start = code
        previous = code
    return ", ".join(parts)


def subset_path(weight: str) -> Path:
    return FONT_DIR / f"Vazirmatn-{weight}-subset.woff2"


def build_subset(weight: str) -> tuple[bytes, list[int]]:
    """The woff2 bytes of one weight's subset and the code points it covers."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_DIR / f"Vazirmatn-{weight}.ttf")
    codepoints = subset_characters(set(font.getBestCmap()))
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = LAYOUT_FEATURES
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer)
    return buffer.getvalue(), codepoints


def full_font_rest(weight: str) -> list[int]:
    """The code points the full font has and the subset lacks: the full file's ``unicode-range``, so that a
    character neither has (the menu's ☰) never downloads 50 KB only to fall back to a system font."""
    from fontTools.ttLib import TTFont

    full = set(TTFont(FONT_DIR / f"Vazirmatn-{weight}.ttf").getBestCmap())
    return sorted(code for code in full - set(subset_codepoints(subset_path(weight))) if code >= 0x20)


APP_CSS = Path(settings.BASE_DIR) / "static" / "css" / "app.css"
_FACE = re.compile(r"@font-face \{[^}]*\}")


def css_with_ranges(css: str, ranges: dict[str, str]) -> str:
    """``css`` with each Vazirmatn face's ``unicode-range`` set from ``ranges`` (font file name -> range)."""

    def rewrite(match: re.Match) -> str:
        face = match.group(0)
        for file_name, value in ranges.items():
            if f'/{file_name}"' in face:
                face = re.sub(r"\n  unicode-range: [^;]*;", "", face)
                return face[:-1].rstrip("\n") + f"\n  unicode-range: {value};\n}}"
        return face

    return _FACE.sub(rewrite, css)


def declared_ranges(css: str) -> dict[str, str]:
    """What ``app.css`` declares: font file name -> its ``unicode-range`` ("" when it has none)."""
    found = {}
    for face in _FACE.findall(css):
        file_name = re.search(r'url\("[^"]*/([^/"]+)"\)', face).group(1)
        declared = re.search(r"unicode-range: ([^;]*);", face)
        found[file_name] = declared.group(1) if declared else ""
    return found


def subset_codepoints(path: Path) -> list[int]:
    from fontTools.ttLib import TTFont

    return sorted(TTFont(path).getBestCmap())
