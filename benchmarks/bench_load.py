"""Time loading and validating every shipped ruleset and scenario.

Every YAML file under ``rules/`` and ``scenarios/`` is discovered at run time (new files are
picked up without editing this script) and timed ``--repeat`` times after one untimed
warm-up call:

* a file under ``scenarios/`` goes end to end through :func:`engine.content.load_game`
  (parse, apply ``extends:``, read its ruleset, schema validation, reference checks, build
  the ``GameSpec``);
* a file under ``rules/`` goes through :func:`engine.content.check_paths` (parse, schema
  validation, reference checks: what ``redline validate`` does).

The table gives the median and the minimum wall-clock time per call in milliseconds.  A
file that fails to load is reported, not timed, and makes the script exit with status 1.
``--profile N`` adds a cProfile run of ``--repeat`` loads of every file and prints the N
functions under ``engine/`` with the most cumulative time and the N with the most self time.
The process is not pinned to a core.

Run from anywhere::

    .venv/bin/python benchmarks/bench_load.py --repeat 20 --profile 8
"""

from __future__ import annotations

import argparse
import cProfile
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from common import REPO, engine_fingerprint, profile_lines

YAML_SUFFIXES = (".yaml", ".yml")
RULES_DIR = "rules"
SCENARIOS_DIR = "scenarios"


@dataclass(frozen=True)
class Target:
    """One file to time and the entry point that loads it."""

    path: Path
    kind: str
    """``scenario`` (timed through ``load_game``) or ``ruleset`` (through ``check_paths``)."""


@dataclass(frozen=True)
class Timing:
    """The timings of one file, in seconds, or the reason it could not be loaded."""

    target: Target
    samples: tuple[float, ...]
    error: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000.0

    @property
    def min_ms(self) -> float:
        return min(self.samples) * 1000.0


def discover(root: Path) -> list[Target]:
    """Every YAML file under ``root/rules`` and ``root/scenarios``, rulesets first, sorted."""
    targets: list[Target] = []
    for directory, kind in ((RULES_DIR, "ruleset"), (SCENARIOS_DIR, "scenario")):
        base = root / directory
        if not base.is_dir():
            continue
        files = sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in YAML_SUFFIXES)
        targets.extend(Target(path, kind) for path in files)
    return targets


def _loader(target: Target) -> Callable[[], None]:
    """A call that loads and validates ``target``, raising ``RuntimeError`` on problems."""
    from engine.content import check_paths, load_game
    from engine.errors import ContentError

    path = target.path
    if target.kind == "scenario":

        def load_scenario() -> None:
            try:
                load_game(path)
            except ContentError as exc:
                errors = [d for d in exc.diagnostics if d.severity == "error"]
                first = errors[0] if errors else exc.diagnostics[0]
                raise RuntimeError(
                    f"{len(errors)} errors, first: {first.file}:{first.line}: {first.message}"
                ) from None

        return load_scenario

    def check_ruleset() -> None:
        errors = [d for d in check_paths([path]) if d.severity == "error"]
        if errors:
            first = errors[0]
            raise RuntimeError(
                f"{len(errors)} errors, first: {first.file}:{first.line}: {first.message}"
            )

    return check_ruleset


def time_target(target: Target, repeat: int) -> Timing:
    """One untimed warm-up call, then ``repeat`` timed calls."""
    call = _loader(target)
    try:
        call()
    except RuntimeError as exc:
        return Timing(target, (), str(exc))
    samples: list[float] = []
    clock = time.perf_counter
    for _ in range(repeat):
        start = clock()
        call()
        samples.append(clock() - start)
    return Timing(target, tuple(samples))


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def format_table(timings: Sequence[Timing], root: Path) -> str:
    """A plain-text table: file, entry point, median ms, min ms."""
    rows = [("file", "via", "median ms", "min ms")]
    for timing in timings:
        via = "load_game" if timing.target.kind == "scenario" else "check_paths"
        if timing.error:
            rows.append((_display(timing.target.path, root), via, "FAILED", timing.error))
        else:
            rows.append(
                (
                    _display(timing.target.path, root),
                    via,
                    f"{timing.median_ms:.2f}",
                    f"{timing.min_ms:.2f}",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    widths.append(max(len(row[3]) for row in rows if row[2] != "FAILED"))
    lines = []
    for index, row in enumerate(rows):
        file, via, median, minimum = row
        lines.append(
            f"{file:<{widths[0]}}  {via:<{widths[1]}}  {median:>{widths[2]}}  "
            f"{minimum:>{widths[3]}}".rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def profile_report(targets: Sequence[Target], repeat: int, top: int) -> str:
    """Profile ``repeat`` loads of every file.

    Lists the ``top`` functions under ``engine/`` by cumulative time and the ``top``
    functions of any origin by self time.
    """
    calls = [_loader(target) for target in targets]
    profiler = cProfile.Profile()
    profiler.enable()
    for call in calls:
        for _ in range(repeat):
            call()
    profiler.disable()
    return profile_lines(profiler, f"{repeat} loads of each file", top)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time loading and validating every ruleset and scenario (median of N).",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=20,
        metavar="N",
        help="timed calls per file, after one untimed warm-up (default: %(default)s)",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=REPO,
        help="directory holding rules/ and scenarios/ (default: the repository root)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="TOP",
        help="also profile REPEAT loads of every file and print the TOP functions "
        "(default: no profile)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.profile < 0:
        parser.error("--profile must not be negative")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Discover, time and print; the exit status is 1 if any file failed to load."""
    args = parse_args(argv)
    root: Path = args.root.resolve()
    targets = discover(root)
    print(
        f"bench_load: Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}"
    )
    print(f"engine sources: sha256 {engine_fingerprint()} (engine/**/*.py)")
    if not targets:
        print(f"no YAML files under {root / RULES_DIR} or {root / SCENARIOS_DIR}")
        return 1
    print(
        f"{len(targets)} files under {root}; one untimed warm-up, then median and min of "
        f"{args.repeat} calls each"
    )
    print()
    timings = [time_target(target, args.repeat) for target in targets]
    print(format_table(timings, root))
    loadable = [t.target for t in timings if not t.error]
    if args.profile and loadable:
        print()
        print(profile_report(loadable, args.repeat, args.profile))
    return 1 if any(t.error for t in timings) else 0


if __name__ == "__main__":
    sys.exit(main())
