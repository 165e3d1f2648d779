"""What every benchmark script shares: the machine, the code measured, and profiles.

Imported by the ``bench_*.py`` scripts, which run as scripts from this folder.
"""

from __future__ import annotations

import cProfile
import hashlib
import os
import platform
import pstats
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
"""The repository root."""
ENGINE_DIR = REPO / "engine"

ProfileEntries = dict[tuple[str, int, str], tuple[int, int, float, float, object]]


def engine_fingerprint() -> str:
    """A short SHA-256 of every ``engine/**/*.py`` file, to tie results to the code measured."""
    digest = hashlib.sha256()
    for path in sorted(ENGINE_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def pin_to_one_core() -> str:
    """Pin this process to CPU 0 when the platform allows it; say what happened."""
    set_affinity = getattr(os, "sched_setaffinity", None)
    if set_affinity is None:
        return "not pinned: os.sched_setaffinity is not available on this platform"
    try:
        set_affinity(0, {0})
    except OSError as exc:
        return f"not pinned: os.sched_setaffinity(0, {{0}}) failed ({exc.strerror or exc})"
    return "pinned to CPU 0 with os.sched_setaffinity(0, {0})"


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or the platform's processor string."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine_lines(script: str) -> list[str]:
    """The first lines every benchmark prints: the interpreter, the machine and the code."""
    return [
        f"{script}: Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}, {cpu_model()}, {os.cpu_count()} CPUs",
        f"engine sources: sha256 {engine_fingerprint()} (engine/**/*.py)",
    ]


def where(key: tuple[str, int, str]) -> str:
    """``engine/core/board.py:120(units_in)`` for a profile entry, relative to the repo."""
    filename, line, function = key
    if filename == "~":
        return function
    path = Path(filename)
    try:
        shown = str(path.resolve().relative_to(REPO))
    except (ValueError, OSError):
        shown = filename
    return f"{shown}:{line}({function})"


def profile_lines(profiler: cProfile.Profile, title: str, top: int) -> str:
    """The ``top`` engine functions by cumulative time and the ``top`` of any origin by self."""
    entries: ProfileEntries = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = max(ct for _, _, _, ct, _ in entries.values())
    engine_dir = str(ENGINE_DIR.resolve()) + os.sep
    in_engine = [
        (key, value)
        for key, value in entries.items()
        if str(Path(key[0]).resolve()).startswith(engine_dir)
    ]
    lines = [f"profile of {title} ({total:.2f} s under cProfile)"]
    lines.append(f"  top {top} functions in engine/ by cumulative time:")
    lines.append(f"  {'cumulative s':>12}  {'%':>5}  {'self s':>7}  {'calls':>9}  function")
    for key, (_, calls, self_time, cumulative, _) in sorted(in_engine, key=lambda kv: -kv[1][3])[
        :top
    ]:
        lines.append(
            f"  {cumulative:12.3f}  {100 * cumulative / total:5.1f}  {self_time:7.3f}  "
            f"{calls:9d}  {where(key)}"
        )
    lines.append(f"  top {top} functions of any origin by self time:")
    lines.append(f"  {'self s':>12}  {'%':>5}  {'cumul s':>7}  {'calls':>9}  function")
    for key, (_, calls, self_time, cumulative, _) in sorted(
        entries.items(), key=lambda kv: -kv[1][2]
    )[:top]:
        lines.append(
            f"  {self_time:12.3f}  {100 * self_time / total:5.1f}  {cumulative:7.3f}  "
            f"{calls:9d}  {where(key)}"
        )
    return "\n".join(lines)
