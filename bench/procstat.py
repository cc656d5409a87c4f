"""CPU seconds of processes from /proc, for bench/load.py: who used the machine during a run."""

from __future__ import annotations

import os
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (field 3 onwards), or None if the process is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _cpu_seconds(pid: int, *, with_reaped_children: bool) -> float:
    fields = _stat(pid)
    if fields is None:
        return 0.0
    # utime, stime, cutime, cstime are fields 14-17 of stat, 11-14 here (0-based after the name).
    ticks = int(fields[11]) + int(fields[12])
    if with_reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def children(root: int) -> set[int]:
    return {pid for pid in _all_pids() if (fields := _stat(pid)) and int(fields[1]) == root}


def tree_cpu_seconds(root: int) -> float:
    """CPU of ``root`` and its live children, plus the children it has already reaped (recycled workers)."""
    total = _cpu_seconds(root, with_reaped_children=True)
    for pid in _all_pids():
        fields = _stat(pid)
        if fields and int(fields[1]) == root:
            total += _cpu_seconds(pid, with_reaped_children=False)
    return total


def postgres_cpu_seconds() -> float:
    """All PostgreSQL processes of the machine (its backends come and go: the postmaster's reaped children count)."""
    pids = [pid for pid in _all_pids() if _comm(pid) == "postgres"]
    total = 0.0
    for pid in pids:
        fields = _stat(pid)
        is_postmaster = fields is not None and _comm(int(fields[1])) != "postgres"
        total += _cpu_seconds(pid, with_reaped_children=is_postmaster)
    return total


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent not idle (all users), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS
