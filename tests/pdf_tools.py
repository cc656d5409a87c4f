"""Read generated PDFs the way a reader would, with poppler-utils (pdftotext, pdfinfo, pdffonts, ...)."""

import os
import re
import shutil
import subprocess

import pytest

# pdftotext wraps right-to-left runs in bidi control characters; they are not part of what a reader sees.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def poppler(tool: str) -> str:
    """The full path of a poppler-utils tool; skipped locally (failed in CI) when it is missing."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} (poppler-utils) is required in CI")
        pytest.skip(f"{tool} is not installed (apt install poppler-utils)")
    return path


def run_poppler(tool: str, pdf: bytes, *options: str) -> str:
    """``tool [options] -`` on the PDF bytes (and ``-`` as output where the tool writes a file); its stdout."""
    arguments = [poppler(tool), *options, "-"]
    if tool == "pdftotext":
        arguments.append("-")
    return subprocess.run(arguments, input=pdf, capture_output=True, check=True).stdout.decode()


def without_marks(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


def squeezed_text(pdf: bytes, *options: str) -> str:
    """The text without bidi marks or any whitespace (right-to-left extraction spaces words oddly)."""
    return re.sub(r"\s+", "", without_marks(run_poppler("pdftotext", pdf, *options)))


def page_count(pdf: bytes) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run_poppler("pdfinfo", pdf), re.MULTILINE).group(1))
