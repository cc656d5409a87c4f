"""HiGHS through highspy's public API, without its banner on the process's standard output.

``highspy.Highs()`` prints a two-line banner the first time one is created in a process, from C++ and before
any option can be set, so ``output_flag`` cannot stop it. On standard output it would break whatever prints
machine-readable output there (``bench/*`` print one JSON line; management commands print their result). So
the first one is made with file descriptor 1 pointed at /dev/null for the duration of the constructor; later
ones print nothing. ``tests/orders/allocation/test_highs.py`` pins both facts.
"""

from __future__ import annotations

import os
import sys
import threading

import highspy

_first = threading.Lock()
_banner_done = False


def quiet_highs() -> highspy.Highs:
    """A new ``highspy.Highs`` with its output off."""
    global _banner_done
    if not _banner_done:
        with _first:
            if not _banner_done:
                highs = _without_stdout(highspy.Highs)
                _banner_done = True
                highs.setOptionValue("output_flag", False)
                return highs
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    return highs


def _without_stdout(make):
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
