"""Shared partials that end without a newline keep it that way.

The including line of such a partial ends its last line, so the page's HTML is the same as when the block was
written out in each page (issue 16). An editor that adds the usual final newline would add a blank line to every
page that includes it; the comment at the top of the partial says so, and this test holds it.
"""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MARK = "no newline at the end of this file"


def test_partials_marked_without_a_final_newline_have_none():
    marked = [path for path in TEMPLATES.rglob("*.html") if MARK in path.read_text(encoding="utf-8").lower()]
    assert len(marked) >= 6  # the mark is still found
    for path in marked:
        assert not path.read_bytes().endswith(b"\n"), f"{path.relative_to(TEMPLATES)} ends with a newline"
