"""Run every benchmark except ``bench_search.py`` with short default settings.

``make bench`` calls this.  Each benchmark runs in its own fresh interpreter (the same
Python as this one), so that one's imports, caches and CPU pinning do not colour the
other's figures:

1. ``bench_load.py --repeat 20 --profile 8``: load and validate every ruleset and scenario,
   then a profile of the loads;
2. ``bench_turns.py --games 200 --seconds 10 --profile 12``: resolve_turn alone and whole
   games with the placeholder policy, pinned to one core, then a profile of each;
3. ``bench_triggers.py --repeat 200``: one triggers phase and one whole turn of the tutorial,
   with and without 200 extra triggers that are evaluated in full and never fire;
4. ``bench_saves.py --quick``: one 24-turn game of the default scenario saved (bytes per
   turn, with a breakdown), opened and verified, then seeking in a 100-turn game with and
   without keyframes, three runs of each timing (about 25 s on its own);
5. ``bench_view.py --quick``: the map view off screen, the wall time of ``redline play
   scenarios/default.yaml --screenshot FILE`` and where it goes, then frames per second of
   the control view and the play screen at 1600x900, 300 frames x 3 runs of each (about
   35 s on its own).

Extra arguments are not accepted; run the scripts directly to change their settings.
Copy the output into ``benchmarks/README.md`` when recording results.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent

BENCHMARKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bench_load.py", ("--repeat", "20", "--profile", "8")),
    ("bench_turns.py", ("--games", "200", "--seconds", "10", "--profile", "12")),
    ("bench_triggers.py", ("--repeat", "200")),
    ("bench_saves.py", ("--quick",)),
    ("bench_view.py", ("--quick",)),
)
"""Each script with the arguments it gets here."""


def run_benchmark(script: str, arguments: Sequence[str]) -> int:
    """Run one script with this interpreter, its output straight to ours; its exit status."""
    command = [sys.executable, str(HERE / script), *arguments]
    print(f"$ {Path(sys.executable).name} benchmarks/{script} {' '.join(arguments)}", flush=True)
    return subprocess.run(command, check=False).returncode


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run every Redline benchmark with its default settings (under a minute)."
    )
    parser.parse_args(argv)
    start = time.perf_counter()
    failed: list[str] = []
    for index, (script, arguments) in enumerate(BENCHMARKS):
        if index:
            print(flush=True)
        if run_benchmark(script, arguments) != 0:
            failed.append(script)
    print()
    elapsed = time.perf_counter() - start
    if failed:
        print(f"run_all: {', '.join(failed)} failed ({elapsed:.1f} s)")
        return 1
    print(f"run_all: {len(BENCHMARKS)} benchmarks done in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
