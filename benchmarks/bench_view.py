"""The map view: frames per second, and the time from the command to the first frame.

Everything draws off screen under ``SDL_VIDEODRIVER=dummy`` (set here unless the caller set
another driver), at ``--size`` (default 1600x900, the view's default window).

(a) **Frames per second.**  One game of ``scenarios/default.yaml`` is played by the computer
    players for ``--turns`` turns (default 2), recorded with ``new_save`` and ``Recorder``,
    written to a temporary file and opened with ``Replay.open``, as ``redline replay`` does.
    Its **control view** (a ``ReplayController`` with no side) of turn 1 shows every unit
    of the scenario on the map.  A frame is a full redraw: ``app.draw()`` (both base maps,
    the control overlay, every stack, the area names, the top and bottom bars, the sidebar
    and its pygame_gui widgets) then ``pygame.display.flip()``.  Measured for both
    theaters side by side, then each theater alone (Tab), then the **play screen** of the
    United States at turn 1 with the unit that may reach the most areas selected (its
    move and attack highlights on).  One more row times a whole iteration of
    ``ViewApp.run`` without its frame-rate cap: ``pygame.event.get()``, the controller's
    and the widgets' ``update``, the draw and the flip.  Each row is ``--repeat`` runs of
    ``--frames`` frames after 30 untimed frames: the median frames per second of the runs
    (slowest, fastest), and the median, 95th percentile and slowest single frame over all
    runs.  The target is at least 60 frames per second (16.7 ms a frame).  Pinned to CPU 0
    with ``os.sched_setaffinity`` where available; ``--profile N`` adds a cProfile of
    ``--frames`` frames of the first row.
(b) **Command to first frame.**  The wall-clock time of ``redline play
    scenarios/default.yaml --screenshot FILE`` in a new process (the console script next to
    this Python, from the repository root, not pinned): one untimed warm-up, then the
    median (fastest, slowest) of ``--runs`` runs.  Then where the time goes, in fresh
    interpreters (``--runs`` of them, the median of each step): the same steps the command
    takes, timed one by one: importing ``engine.cli`` (typer, rich), importing the view
    (pygame, pygame_gui, numpy), loading the scenario, compiling the rules, seating the
    computer players, the US observation, opening the window (``ViewApp``), laying out
    the screen (``attach``: both base maps and the widgets), importing milsymbol,
    rendering every counter on screen for the first time, the first frame with the
    counters already rendered, and saving the PNG; a later frame is shown for comparison.
    Last, one more fresh interpreter runs ``engine.cli.main`` on the same command with
    ``engine.content.load_game`` wrapped, to count how often the command loads the
    scenario.

Run from anywhere::

    .venv/bin/python benchmarks/bench_view.py                 # 600 frames x 5, 5 runs
    .venv/bin/python benchmarks/bench_view.py --quick         # 300 frames x 3, 3 runs
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import REPO, machine_lines, pin_to_one_core, profile_lines

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

SCENARIO = REPO / "scenarios" / "default.yaml"
COMMAND_SCENARIO = "scenarios/default.yaml"
"""As a user types it, from the repository root."""
TARGET_FPS = 60.0
WARM_UP_FRAMES = 30
PLAYER = "us"


# ---------------------------------------------------------------------- (a) frames per second


@dataclass(frozen=True)
class FrameRow:
    """``runs`` timings of ``frames`` frames each: the seconds of every frame, by run."""

    label: str
    runs: list[list[float]]
    walls: list[float]

    @property
    def fps(self) -> list[float]:
        return [len(r) / wall for r, wall in zip(self.runs, self.walls, strict=True)]

    def line(self) -> str:
        every = sorted(t for run in self.runs for t in run)
        p95 = every[min(len(every) - 1, round(0.95 * (len(every) - 1)))]
        fps = self.fps
        verdict = "met" if statistics.median(fps) >= TARGET_FPS else "NOT MET"
        return (
            f"  {self.label:<46} {statistics.median(fps):8.1f} {min(fps):8.1f} {max(fps):8.1f}"
            f" {1e3 * statistics.median(every):8.2f} {1e3 * p95:7.2f} {1e3 * every[-1]:7.2f}"
            f"  {verdict}"
        )


HEADER = (
    f"  {'what is drawn':<46} {'fps':>8} {'slowest':>8} {'fastest':>8}"
    f" {'ms med':>8} {'ms p95':>7} {'ms max':>7}  >= 60 fps"
)


def time_frames(frame: Callable[[], None], frames: int, repeat: int, label: str) -> FrameRow:
    for _ in range(WARM_UP_FRAMES):
        frame()
    runs: list[list[float]] = []
    walls: list[float] = []
    clock = time.perf_counter
    for _ in range(repeat):
        times: list[float] = []
        start = clock()
        for _ in range(frames):
            begin = clock()
            frame()
            times.append(clock() - begin)
        walls.append(clock() - start)
        runs.append(times)
    return FrameRow(label, runs, walls)


def record_game(turns: int, folder: Path) -> Path:
    """The default scenario played by its computer players for ``turns`` turns and saved."""
    from engine.ai.players import make_bots
    from engine.content import load_game
    from engine.core import Rules
    from engine.runner import play_game
    from engine.saves import Recorder, new_save, players_of, write_save

    game = load_game(SCENARIO)
    rules = Rules(game.spec)
    bots = make_bots(rules, game.doctrine, {}, None)
    saved = new_save(game, game.spec.seed, players_of(bots), None)
    play_game(rules, bots, seed=game.spec.seed, max_turns=turns, on_turn=Recorder(saved))
    path = folder / "default.json"
    write_save(path, saved)
    return path


def frames_per_second(args: argparse.Namespace) -> None:
    import pygame

    from engine.core import initial_state
    from engine.core.observation import observe
    from engine.saves import Replay
    from engine.view.app import BOTH, ViewApp
    from engine.view.play import PlayController, ViewPlayer
    from engine.view.replay import ReplayController

    size: tuple[int, int] = args.size
    with tempfile.TemporaryDirectory() as folder:
        path = record_game(args.turns, Path(folder))
        replay = Replay.open(path)
    spec = replay.spec
    app = ViewApp(spec, size)
    control = ReplayController(app, replay, turn=1)
    app.attach(control)
    state = control.state()
    print(
        f"(a) frames per second at {size[0]}x{size[1]} ({pygame.display.get_driver()} driver), "
        f"{args.frames} frames x {args.repeat} runs after {WARM_UP_FRAMES} untimed frames"
    )
    print(
        f"  save: {args.turns} turns of {spec.scenario_id}; control view of turn 1: "
        f"{len(state.units)} units ({len(spec.forces)} in the scenario), "
        f"{sum(1 for u in state.units if not spec.area_by_id[u.area].offmap)} on map"
    )

    def draw() -> None:
        app.draw()
        pygame.display.flip()

    def loop_iteration() -> None:
        seconds = 1 / 60
        for event in pygame.event.get():
            app.handle(event)
        assert app.controller is not None
        app.controller.update(seconds)
        app.manager.update(seconds)
        app.draw()
        pygame.display.flip()

    rows: list[FrameRow] = []
    draw()
    stacks = sum(len(p.stacks) for p in app.panes)
    rows.append(
        time_frames(
            draw, args.frames, args.repeat, f"control view, both theaters ({stacks} stacks)"
        )
    )
    profile_text = ""
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.frames):
            draw()
        profiler.disable()
        profile_text = profile_lines(
            profiler, f"{args.frames} frames of the first row", args.profile
        )
    rows.append(
        time_frames(
            loop_iteration, args.frames, args.repeat, "control view, both, whole loop iteration"
        )
    )
    for _ in app.theaters:
        app.switch_theaters()
        draw()
        stacks = sum(len(p.stacks) for p in app.panes)
        rows.append(
            time_frames(
                draw, args.frames, args.repeat, f"control view, {app.shown} alone ({stacks} stacks)"
            )
        )
    app.switch_theaters()
    assert app.shown == BOTH

    seen = observe(spec, initial_state(spec, replay.saved.seed), PLAYER)
    turn = PlayController(ViewPlayer(app, PLAYER), replay.rules, seen)
    app.attach(turn)
    mine = [u for u in seen.state.units if u.owner == PLAYER]
    widest = max(
        mine,
        key=lambda u: (
            len(turn.draft.destinations(u.id)) + len(turn.draft.attack_targets(u.id)),
            u.id,
        ),
    )
    turn.select(widest)
    rows.append(
        time_frames(
            draw,
            args.frames,
            args.repeat,
            f"play screen, {widest.id} selected ({len(turn.moves)}+{len(turn.attacks)} lit)",
        )
    )
    print(HEADER)
    for row in rows:
        print(row.line())
    print(
        "  (fps: frames / wall time of a run, median of the runs with the slowest and fastest; "
        "ms: single frames over all runs)"
    )
    if profile_text:
        print()
        print(profile_text)


# ---------------------------------------------------------------------- (b) first frame


def redline_command() -> list[str]:
    """The console script next to this Python, else ``python -m engine.cli``."""
    script = Path(sys.executable).with_name("redline")
    return [str(script)] if script.exists() else [sys.executable, "-m", "engine.cli"]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYGAME_HIDE_SUPPORT_PROMPT"}
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", NO_COLOR="1")
    return env


def command_wall_times(runs: int, folder: Path) -> tuple[list[float], str]:
    image = folder / "first.png"
    command = [*redline_command(), "play", COMMAND_SCENARIO, "--screenshot", str(image)]
    times: list[float] = []
    for index in range(runs + 1):
        image.unlink(missing_ok=True)
        start = time.perf_counter()
        done = subprocess.run(
            command, cwd=REPO, env=child_env(), capture_output=True, text=True, check=False
        )
        elapsed = time.perf_counter() - start
        if done.returncode != 0 or not image.exists():
            raise SystemExit(f"bench_view: {' '.join(command)} failed:\n{done.stderr}")
        if index:  # the first run warms the file cache and the .pyc files
            times.append(elapsed)
    shown = " ".join(["redline", *command[len(redline_command()) :]]).replace(
        str(image), "FILE.png"
    )
    return times, shown


def breakdown_child(image: Path) -> None:
    """One cold start, step by step; prints ``[[step, seconds], ...]`` as JSON."""
    steps: list[tuple[str, float]] = []
    clock = time.perf_counter

    def step(name: str, start: float) -> float:
        now = clock()
        steps.append((name, now - start))
        return now

    start = clock()
    import engine.cli

    start = step("import engine.cli (typer, rich)", start)
    import engine.view.launch  # noqa: F401

    start = step("import the view (pygame, pygame_gui, numpy)", start)
    from engine.ai.players import make_bots
    from engine.content import load_game
    from engine.core import Rules, initial_state
    from engine.core.observation import observe
    from engine.view.app import ViewApp
    from engine.view.play import PlayController, ViewPlayer
    from engine.view.symbols import affiliation, counter, with_identity

    start = clock()
    game = load_game(SCENARIO)
    start = step("load the scenario (load_game)", start)
    rules = Rules(game.spec)
    start = step("compile the rules (Rules)", start)
    make_bots(rules, game.doctrine, {PLAYER: "random"}, None)
    start = step("seat the computer players (make_bots)", start)
    spec = game.spec
    seen = observe(spec, initial_state(spec, spec.seed), PLAYER)
    start = step("initial state, US observation", start)
    app = ViewApp(spec, screenshots=image.parent)
    start = step("open the window (ViewApp: display, gui, fonts)", start)
    app.attach(PlayController(ViewPlayer(app, PLAYER), rules, seen))
    start = step("lay out the screen (attach: base maps, widgets)", start)
    import milsymbol  # noqa: F401

    start = step("import milsymbol", start)
    side = spec.actor_by_id[PLAYER].side
    for pane in app.panes:
        for unit in seen.state.units:
            if unit.area in pane.areas:
                symbol = spec.unit_type_by_id[unit.unit_type].symbol
                counter(
                    with_identity(symbol, affiliation(spec, side, unit.owner)), pane.counter_height
                )
    kinds = counter.cache_info().currsize
    start = step(f"render the counters ({kinds} distinct, first time)", start)
    app.manager.update(0)
    app.draw()
    start = step("draw the first frame (counters ready)", start)
    import pygame

    pygame.image.save(app.window, str(image))
    start = step("save the PNG", start)
    app.manager.update(0)
    app.draw()
    step("(a later frame, for comparison)", start)
    print(json.dumps(steps))


def loads_child(image: Path) -> None:
    """Run the command in this process with ``load_game`` counted; prints JSON with the
    wall-clock stamps of this function's start and end, for the parent to compare."""
    entered = time.time()
    start = time.perf_counter()
    import engine.cli

    imported = time.perf_counter() - start
    import engine.content

    original = engine.content.load_game
    calls: list[float] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            calls.append(time.perf_counter() - start)

    engine.content.load_game = counted
    os.chdir(REPO)
    start = time.perf_counter()
    try:
        engine.cli.main(["play", COMMAND_SCENARIO, "--screenshot", str(image)])
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            raise
    total = time.perf_counter() - start
    result = {"entered": entered, "import": imported, "main": total, "loads": calls}
    print(json.dumps({**result, "left": time.time()}))


def run_child(flag: str, image: Path) -> tuple[Any, float, float]:
    """This script in a fresh interpreter: what it printed, and the wall-clock stamps of
    its start and end as seen from here."""
    started = time.time()
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), flag, str(image)],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    ended = time.time()
    if done.returncode != 0:
        raise SystemExit(f"bench_view: {flag} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1]), started, ended


def first_frame(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        walls, shown = command_wall_times(args.runs, folder)
        print(f"(b) command to first frame: `{shown}`, from {REPO.name}/, not pinned")
        print(
            f"  wall time, {args.runs} runs after a warm-up: "
            f"median {statistics.median(walls):.2f} s "
            f"(fastest {min(walls):.2f}, slowest {max(walls):.2f})"
        )
        runs = [run_child("--child-breakdown", folder / "child.png")[0] for _ in range(args.runs)]
        counted, started, ended = run_child("--child-loads", folder / "loads.png")
    names = [name for name, _ in runs[0]]
    medians = [statistics.median(run[i][1] for run in runs) for i in range(len(names))]
    total = sum(m for n, m in zip(names, medians, strict=True) if not n.startswith("("))
    print(f"  where the time goes, in {args.runs} fresh interpreters (median of each step):")
    print(f"    {'step':<52} {'ms':>8} {'share':>6}")
    for name, seconds in zip(names, medians, strict=True):
        share = "" if name.startswith("(") else f"{100 * seconds / total:5.1f}%"
        print(f"    {name:<52} {1e3 * seconds:8.1f} {share:>6}")
    print(f"    {'sum of the steps':<52} {1e3 * total:8.1f}")
    loads: list[float] = counted["loads"]
    print(
        "  the command in one more fresh interpreter (engine.cli.main, load_game counted): "
        f"{ended - started:.2f} s in all: start-up {counted['entered'] - started:.2f} s, "
        f"import engine.cli {counted['import']:.2f} s, the command {counted['main']:.2f} s, "
        f"exit {ended - counted['left']:.2f} s"
    )
    print(f"    load_game ran {len(loads)} times: {' + '.join(f'{1e3 * t:.0f}' for t in loads)} ms")
    print(f"  (`python -c pass` takes {interpreter_start():.3f} s here)")


def interpreter_start() -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ---------------------------------------------------------------------- main


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    try:
        return (int(width), int(height))
    except ValueError:
        raise argparse.ArgumentTypeError(f"give a size as WIDTHxHEIGHT, not {text!r}") from None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Map view: frames per second, and command to first frame."
    )
    parser.add_argument("--frames", type=int, default=600, help="frames a run (600)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each row (5)")
    parser.add_argument("--runs", type=int, default=5, help="runs of the command (5)")
    parser.add_argument("--turns", type=int, default=2, help="turns in the save (2)")
    parser.add_argument("--size", type=parse_size, default=(1600, 900), help="1600x900")
    parser.add_argument("--profile", type=int, default=0, help="cProfile the first row, top N")
    parser.add_argument("--quick", action="store_true", help="300 frames x 3 runs, 3 runs")
    parser.add_argument("--skip-fps", action="store_true", help="only (b)")
    parser.add_argument("--skip-start", action="store_true", help="only (a)")
    parser.add_argument("--child-breakdown", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-loads", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.frames, args.repeat, args.runs = 300, 3, 3
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child_breakdown is not None:
        breakdown_child(args.child_breakdown)
        return 0
    if args.child_loads is not None:
        loads_child(args.child_loads)
        return 0
    machine, code = machine_lines("bench_view")
    print(machine)
    print(code)
    if hasattr(os, "getloadavg"):
        print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.skip_start:
        first_frame(args)
    if not args.skip_fps:
        print(f"CPU for (a): {pin_to_one_core()}")
        frames_per_second(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
