"""HiGHS through its public API (issue 16), with nothing on standard output (``orders/allocation/highs.py``)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def stdout_of(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout


def test_a_plain_highspy_highs_prints_its_banner_the_first_time_which_is_why_the_seam_exists():
    """If a highspy upgrade stops printing it, this fails: then ``quiet_highs`` can be plain ``highspy.Highs``."""
    assert "HiGHS" in stdout_of("import highspy; highspy.Highs(); highspy.Highs()")


def test_the_engines_highs_prints_nothing_on_standard_output_however_many_are_made():
    code = (
        "from production.allocation.highs import quiet_highs\n"
        "first, second = quiet_highs(), quiet_highs()\n"
        "print(first.getOptionValue('output_flag')[1], second.getOptionValue('output_flag')[1])\n"
    )
    assert stdout_of(code) == "False False\n"
