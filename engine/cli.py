"""The ``redline`` command: validate content, export schemas, run and play games.

Every user-facing failure ends here as a readable message and a non-zero exit code; no
traceback reaches the terminal for a mistake in a file, an order or an argument.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from engine import __version__
from engine.analysis.command import register as register_analysis
from engine.analysis.experiment import register as register_experiment
from engine.cli_exercise import register as register_exercise
from engine.cli_options import BOT_OPTION, DIFFICULTY_OPTION, SAVES, SEED_OPTION
from engine.errors import ContentError, Diagnostic, RedlineError
from engine.runner import GameRecord, Position, TurnRecord

if TYPE_CHECKING:
    from engine.ai.bot import Bot
    from engine.content import LoadedGame
    from engine.core import GameState, Rules
    from engine.core.spec import GameSpec
    from engine.saves import Autosave, Replay, SavedGame

app = typer.Typer(
    name="redline",
    help="Redline: a two-theater strategic wargame engine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_PIPE_WIDTH = 160
"""Width for output sent to a file or pipe, where rich would otherwise assume 80 columns."""
out = Console(highlight=False, width=None if sys.stdout.isatty() else _PIPE_WIDTH)
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else _PIPE_WIDTH)


def _print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        colour = "red" if diagnostic.severity == "error" else "yellow"
        where = (
            f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}"
            if diagnostic.line
            else diagnostic.file
        )
        path = f" at {diagnostic.path}:" if diagnostic.path else ""
        err.print(
            f"{escape(where)}: [{colour}]{diagnostic.severity}[/{colour}]:{escape(path)} "
            f"{escape(diagnostic.message)}",
            soft_wrap=True,
        )
        if diagnostic.hint:
            err.print(f"    hint: {diagnostic.hint}", soft_wrap=True, markup=False)


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    return typer.Exit(code=1)


def _load(scenario: Path):  # type: ignore[no-untyped-def]
    from engine.content import load_game

    try:
        return load_game(scenario)
    except ContentError as exc:
        _print_diagnostics(exc.diagnostics)
        raise _fail(
            f"{scenario}: cannot load the scenario "
            f"({sum(d.severity == 'error' for d in exc.diagnostics)} errors)"
        ) from None


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories of YAML to check.")],
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
) -> None:
    """Check rulesets and scenarios and report every problem like a compiler."""
    from engine.content import check_paths
    from engine.content.loader import yaml_files

    diagnostics = check_paths(paths)
    _print_diagnostics(diagnostics)
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    files = len(yaml_files(paths))
    summary = (
        f"{files} file{'s' * (files != 1)}: {errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)}"
    )
    (err if errors else out).print(summary)
    if errors or (strict and warnings):
        raise typer.Exit(code=1)


@app.command()
def schema(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write into.")] = Path(
        "schema"
    ),
) -> None:
    """Write JSON Schema for rulesets, scenarios and variants (for editor completion)."""
    from engine.content.jsonschema import schemas
    from engine.files import atomic_write_text

    for name, document in schemas().items():
        target = out_dir / name
        try:
            atomic_write_text(target, json.dumps(document, indent=2) + "\n")
        except OSError as exc:
            raise _fail(f"cannot write {target}: {exc.strerror or exc}") from None
        out.print(f"wrote {target}")


def _check_out_path(path: Path | None, option: str = "--out") -> None:
    """Refuse an output the game could not be saved to, before any of it is played."""
    if path is None:
        return
    if path.is_dir():
        raise _fail(f"{option} {path} is a directory; give a file name")
    if not path.parent.is_dir():
        raise _fail(
            f"cannot write {path}: No such file or directory (the folder {path.parent} "
            "does not exist)"
        )


_SUMMARY_KINDS = (
    ("action_taken", "action", "actions"),
    ("unit_moved", "move", "moves"),
    ("move_bounced", "bounce", "bounces"),
    ("combat_resolved", "combat", "combats"),
    ("unit_destroyed", "unit destroyed", "units destroyed"),
    ("control_changed", "area changed hands", "areas changed hands"),
    ("order_rejected", "order rejected", "orders rejected"),
)


_NOTABLE_KINDS = frozenset({"red_line", "escalation_changed", "cascade_cut", "game_ended"})
"""Events worth a line of their own under a turn's summary."""


def turn_summary(record: TurnRecord) -> str:
    """``3 actions, 2 moves, 1 combat``: what a turn did, in a few words."""
    counts: dict[str, int] = {}
    for event in record.events:
        counts[event.kind] = counts.get(event.kind, 0) + 1
    parts = [
        f"{counts[kind]} {one if counts[kind] == 1 else many}"
        for kind, one, many in _SUMMARY_KINDS
        if counts.get(kind)
    ]
    return ", ".join(parts) or "quiet"


def parse_bot_choices(choices: Sequence[str]) -> dict[str, str]:
    """``["russia=search", "us=random"]`` to ``{"russia": "search", "us": "random"}``."""
    parsed: dict[str, str] = {}
    for choice in choices:
        actor, sep, kind = choice.partition("=")
        if not sep or not actor or not kind:
            raise _fail(f"--bot {choice!r}: write ACTOR=KIND, e.g. --bot russia=search")
        parsed[actor.strip()] = kind.strip()
    return parsed


def _check_difficulty(
    game: LoadedGame, controllers: Mapping[str, str], difficulty: str | None
) -> None:
    """Refuse ``--difficulty`` when no computer player of the game has difficulty levels:
    the scenario names no doctrine and no actor is played by the search bot, so every one is
    a random bot.  Otherwise the bots check the level themselves (see ``make_bots``)."""
    if difficulty is None or game.doctrine is not None:
        return
    if any(controllers.get(a.id, a.controller) == "search" for a in game.spec.actors):
        return
    raise _fail(
        f"--difficulty {difficulty}: {game.spec.scenario_id} names no doctrine and no actor is "
        "played by the search bot, so its computer players are random bots, which have no "
        "difficulty levels"
    )


def _bots(
    game: LoadedGame, rules: Rules, choices: Sequence[str], difficulty: str | None
) -> dict[str, Bot]:
    from engine.ai.players import UnknownBot, make_bots

    controllers = parse_bot_choices(choices)
    unknown = sorted(set(controllers) - set(rules.spec.actor_by_id))
    if unknown:
        raise _fail(f"--bot names no actor of this scenario: {', '.join(unknown)}")
    _check_difficulty(game, controllers, difficulty)
    try:
        return make_bots(rules, game.doctrine, controllers, difficulty)
    except UnknownBot as exc:
        raise _fail(str(exc)) from None
    except NotImplementedError as exc:  # a bot kind announced but not written yet
        raise _fail(str(exc)) from None


def _who_plays(bots: Mapping[str, Bot]) -> str:
    kinds: dict[str, list[str]] = {}
    for actor, bot in bots.items():
        kinds.setdefault(bot.name, []).append(actor)
    return "; ".join(f"{name}: {', '.join(actors)}" for name, actors in sorted(kinds.items()))


def _report_turn(record: TurnRecord) -> None:
    out.print(f"turn {record.turn:>3} {record.date}: {turn_summary(record)}", soft_wrap=True)
    for actor, reason in record.reasons:
        out.print(f"    {actor}: {reason}", soft_wrap=True, markup=False)
    for event in record.events:
        if event.kind in _NOTABLE_KINDS or event.cause.startswith("red_line:"):
            out.print(f"    {event.describe()}", soft_wrap=True, markup=False)


@dataclass
class _Session:
    """A game about to be played: loaded, seated, and saved after every turn when it has a
    save to go to."""

    game: LoadedGame
    rules: Rules
    bots: dict[str, Bot]
    seed: int
    save: SavedGame | None = None
    autosave: Autosave | None = None
    start: Position | None = None

    def on_turn(self, quiet: bool) -> Callable[[TurnRecord, GameState], None]:
        from engine.saves import Recorder

        recorder = Recorder(self.save, self.autosave) if self.save is not None else None

        def turn_played(record: TurnRecord, state: GameState) -> None:
            if not quiet:
                _report_turn(record)
            if recorder is not None:
                recorder(record, state)

        return turn_played

    def finish(self, record: GameRecord, target: Path | None) -> None:
        """Write the save once more with how the game stopped, and say where it is."""
        if self.save is None or target is None:
            return
        from engine.saves import write_save

        self.save.stopped = record.stopped
        write_save(target, self.save)
        out.print(f"wrote {target}")


def _new_session(
    game: LoadedGame,
    seed: int | None,
    out_file: Path | None,
    bot_choices: Sequence[str],
    difficulty: str | None,
    humans: frozenset[str] = frozenset(),
    keep: int = 0,
) -> _Session:
    from engine.core import Rules
    from engine.saves import Autosave, new_save, players_of

    _check_out_path(out_file)
    rules = Rules(game.spec)
    seats = [*bot_choices, *(f"{actor}=random" for actor in humans)]
    bots = _bots(game, rules, seats, difficulty)
    game_seed = game.spec.seed if seed is None else seed
    session = _Session(game, rules, bots, game_seed)
    if out_file is not None:
        session.save = new_save(game, game_seed, players_of(bots, humans), difficulty)
        session.autosave = Autosave(out_file, keep)
    return session


def _run(
    scenario: Path,
    seed: int | None,
    turns: int | None,
    out_file: Path | None,
    quiet: bool,
    bot_choices: Sequence[str] = (),
    difficulty: str | None = None,
    keep: int = 0,
) -> None:
    if turns is not None and turns < 1:
        raise _fail("--turns must be at least 1")
    _check_out_path(out_file)
    session = _new_session(_load(scenario), seed, out_file, bot_choices, difficulty, keep=keep)
    _play_headless(session, turns, out_file, quiet)


def _play_headless(
    session: _Session, turns: int | None, out_file: Path | None, quiet: bool
) -> None:
    from engine.runner import play_game

    spec = session.game.spec
    if not quiet:
        out.print(
            f"[bold]{escape(spec.scenario_name)}[/bold] ({spec.scenario_id}), seed {session.seed}"
        )
        out.print(f"computer players: {_who_plays(session.bots)}", markup=False)
    record = play_game(
        session.rules,
        session.bots,
        seed=session.seed,
        max_turns=turns,
        on_turn=session.on_turn(quiet),
        start=session.start,
    )
    if not quiet:
        _print_outcomes(session.game, record)
    out.print(f"final digest {record.final.digest()}")
    session.finish(record, out_file)


def _print_outcomes(game: LoadedGame, record: GameRecord) -> None:
    table = Table(title="Outcome measures", show_header=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for outcome in game.spec.outcomes:
        table.add_row(escape(outcome.name), f"{record.outcomes[outcome.id]:g}")
    out.print(table)


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    seed: Annotated[int | None, SEED_OPTION] = None,
    turns: Annotated[int | None, typer.Option(help="Stop after this many turns.")] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Save the game here, after every turn (.json or .json.gz)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the digest.")] = False,
    bot: Annotated[list[str] | None, BOT_OPTION] = None,
    difficulty: Annotated[str | None, DIFFICULTY_OPTION] = None,
) -> None:
    """Play a game headless, every actor under its computer player."""
    _run(scenario, seed, turns, out_file, quiet, bot or (), difficulty)


@app.command()
def play(
    scenario: Annotated[
        Path | None, typer.Argument(help="Scenario YAML file (not with --resume).")
    ] = None,
    side: Annotated[
        str | None,
        typer.Option(help="Play this actor yourself (e.g. us); the computer plays the rest."),
    ] = None,
    seed: Annotated[int | None, SEED_OPTION] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Where to save the game, after every turn.")
    ] = None,
    resume: Annotated[
        Path | None, typer.Option(help="Continue this saved game from its next turn.")
    ] = None,
    bot: Annotated[list[str] | None, BOT_OPTION] = None,
    difficulty: Annotated[str | None, DIFFICULTY_OPTION] = None,
    terminal: Annotated[
        bool, typer.Option("--terminal", help="Play at the terminal, not in the map view.")
    ] = False,
    screenshot: Annotated[
        Path | None,
        typer.Option(help="Draw the first turn's screen into this PNG file and exit."),
    ] = None,
    fullscreen: Annotated[bool, typer.Option(help="Open the map view full screen.")] = False,
) -> None:
    """Play a scenario, or continue a saved one with --resume.

    Where a display is available the map view opens and you play --side (by default the
    scenario's first actor, the United States in the default scenario).  At the terminal
    (--terminal, or orders piped in) you play --side by typing.  With no display and no
    --side the game is played headless and a screenshot of the end is saved beside it.
    The game is saved after every turn (to saves/ unless --out says where), with the last
    few turns kept in an autosave folder beside it."""
    from engine.saves.store import AUTOSAVE_KEEP

    if resume is not None:
        if scenario is not None or seed is not None:
            raise _fail("--resume continues a saved game: give no scenario and no --seed")
        if screenshot is not None:
            raise _fail(
                "--screenshot draws a new game's first turn; for a saved game use "
                "'redline replay SAVE --turn N --screenshot FILE'"
            )
        _resume(resume, side, out_file, bot or (), difficulty, _interface(terminal, fullscreen))
        return
    if scenario is None:
        raise _fail("give a scenario to play, or --resume SAVE")
    if screenshot is not None:
        _screenshot_first_turn(scenario, side, seed, screenshot, bot or (), difficulty)
        return
    target = out_file or SAVES / f"{scenario.stem}-latest.json"
    if out_file is None:
        SAVES.mkdir(exist_ok=True)
    interface = _interface(terminal, fullscreen)
    if interface.kind == "view" or side is not None:
        _check_out_path(target)
        game = _load(scenario)
        side = _person_side(game.spec, side, bot or ())
        session = _new_session(
            game, seed, target, bot or (), difficulty, frozenset({side}), AUTOSAVE_KEEP
        )
        _play_person(session, side, target, interface)
        return
    out.print(
        "No display for the map view: playing headless, every actor under its computer "
        "player (add --side ACTOR to play one actor at the terminal)."
    )
    _run(scenario, seed, None, target, False, bot or (), difficulty, keep=AUTOSAVE_KEEP)
    _screenshot_end(target)


@dataclass(frozen=True)
class _Interface:
    """How a person plays: ``view`` (the map view) or ``terminal``."""

    kind: str
    fullscreen: bool = False


def _interface(terminal: bool, fullscreen: bool) -> _Interface:
    """The map view where a display can be opened and a person is at the keyboard (orders
    piped into stdin are played at the terminal), unless --terminal says otherwise."""
    from engine.view.app import headless

    if terminal or headless() or not sys.stdin.isatty():
        return _Interface("terminal")
    return _Interface("view", fullscreen)


def _person_side(spec: GameSpec, side: str | None, bot_choices: Sequence[str]) -> str:
    """The actor a person plays: ``side``, checked, or else the first actor the scenario
    gives to a person, or else its first actor (the United States in the default scenario)."""
    chosen = side or next((a.id for a in spec.actors if a.controller == "human"), None)
    chosen = chosen or spec.actors[0].id
    _check_side_of(spec, chosen, bot_choices)
    return chosen


def _screenshot_first_turn(
    scenario: Path,
    side: str | None,
    seed: int | None,
    target: Path,
    bot_choices: Sequence[str],
    difficulty: str | None,
) -> None:
    """``play --screenshot``: the first turn's screen of ``side``, drawn off screen."""
    from engine.view.launch import screenshot_turn, use_dummy_display

    _check_image_path(target)
    use_dummy_display()
    game = _load(scenario)
    chosen = _person_side(game.spec, side, bot_choices)
    session = _new_session(game, seed, None, bot_choices, difficulty, frozenset({chosen}))
    from engine.core import initial_state

    start = Position((initial_state(session.game.spec, session.seed),))
    screenshot_turn(session.rules, chosen, start, target)
    out.print(f"wrote {target}")


def _screenshot_end(save: Path) -> None:
    """The replay screen of a save's last turn, beside it as ``NAME.png``."""
    from engine.saves import Replay
    from engine.view.launch import screenshot_replay, use_dummy_display

    use_dummy_display()
    replay = Replay.open(save)
    image = save.with_suffix(".png")
    screenshot_replay(replay, image, turn=replay.last_turn)
    out.print(f"wrote {image}")


def _check_image_path(path: Path) -> None:
    _check_out_path(path, "--screenshot")
    if path.suffix.lower() not in (".png", ".bmp", ".tga", ".jpg", ".jpeg"):
        raise _fail(f"--screenshot {path}: give an image file name ending in .png")


def _check_side_of(spec: GameSpec, side: str, bot_choices: Sequence[str]) -> None:
    from engine.content.messages import closest

    if side not in spec.actor_by_id:
        match = closest(side, spec.actor_by_id)
        guess = f"did you mean '{match}'? " if match else ""
        raise _fail(
            f"--side {side}: {spec.scenario_id} has no such actor; {guess}"
            f"choose one of {', '.join(a.id for a in spec.actors)}"
        )
    if side in parse_bot_choices(bot_choices):
        raise _fail(f"--bot {side}=...: you play {side} yourself with --side {side}")


def _play_person(session: _Session, side: str, target: Path, interface: _Interface) -> None:
    """A person plays ``side``, in the map view or at the terminal; the game is saved as
    it goes."""
    computer = {a: b for a, b in session.bots.items() if a != side}
    if interface.kind == "view":
        from engine.saves import Replay, write_save
        from engine.view.launch import play_in_view

        def review() -> Replay:
            assert session.save is not None
            return Replay(session.save, target)

        record = play_in_view(
            session.rules,
            computer,
            side,
            session.seed,
            session.on_turn(quiet=True),
            session.start,
            fullscreen=interface.fullscreen,
            review=review,
            keep_notes=lambda game: write_save(target, game),
            screenshots=target.parent,
        )
    else:
        from engine.play.terminal import play_solo

        record = play_solo(
            session.rules,
            computer,
            side,
            out,
            seed=session.seed,
            start=session.start,
            on_turn=session.on_turn(quiet=True),
        )
    _print_outcomes(session.game, record)
    session.finish(record, target)
    if record.stopped == "interrupted":
        raise typer.Exit(code=130)


def _resume(
    path: Path,
    side: str | None,
    out_file: Path | None,
    bot_choices: Sequence[str],
    difficulty: str | None,
    interface: _Interface,
) -> None:
    """Continue a save from its next turn, the players seated as the save says unless
    --side or --bot says otherwise; the game goes on being saved where it was."""
    from engine.saves import Autosave, Replay, players_of
    from engine.saves.recorder import HUMAN
    from engine.saves.store import AUTOSAVE_KEEP

    _check_out_path(out_file)
    replay = Replay.open(path)
    replay.verify()
    saved, spec = replay.saved, replay.spec
    if saved.teams:
        raise _fail(
            f"{path} is a facilitated exercise: its turns are played with 'redline turn' "
            "(see 'redline orders-template'), not resumed"
        )
    if replay.state_at(replay.last_turn + 1).finished:
        raise _fail(
            f"{path}: the game is over after turn {replay.last_turn}; "
            "use 'redline replay' to review it or 'redline branch' to play on from an earlier turn"
        )
    humans = [actor for actor, kind in saved.players.items() if kind == HUMAN]
    side = side or (humans[0] if len(humans) == 1 else None)
    if side is not None or interface.kind == "view":
        side = _person_side(spec, side, bot_choices)
    recorded = {a: k for a, k in saved.players.items() if k != HUMAN and a != side}
    choices = [f"{a}={k}" for a, k in recorded.items()] + list(bot_choices)
    level = difficulty or saved.difficulty
    seats = [*choices, *([f"{side}=random"] if side else [])]
    bots = _bots(replay.game, replay.rules, seats, level)
    saved.players = players_of(bots, frozenset({side}) if side else frozenset())
    saved.difficulty = level
    target = out_file or path
    session = _Session(
        replay.game,
        replay.rules,
        bots,
        saved.seed,
        saved,
        Autosave(target, AUTOSAVE_KEEP),
        replay.position(replay.last_turn + 1),
    )
    out.print(f"Resuming {spec.scenario_id} at turn {replay.last_turn + 1} from {path}")
    if side is not None:
        _play_person(session, side, target, interface)
    else:
        _play_headless(session, None, target, False)


def _open_replay(path: Path) -> Replay:
    from engine.saves import Replay

    return Replay.open(path)


def _describe_save(replay: Replay, path: Path) -> None:
    saved = replay.saved
    state = replay.state_at(replay.last_turn + 1)
    status = (
        f"over ({state.end_reason})"
        if state.finished
        else f"stopped before turn {saved.next_turn}"
        + (f" ({saved.stopped})" if saved.stopped else "")
    )
    out.print(
        f"[bold]{escape(replay.spec.scenario_name)}[/bold] ({saved.scenario}), seed {saved.seed}: "
        f"{replay.last_turn} turn{'s' * (replay.last_turn != 1)} played, {escape(status)}",
        soft_wrap=True,
    )
    players = "; ".join(f"{actor} {kind}" for actor, kind in saved.players.items())
    out.print(f"players: {players}", soft_wrap=True, markup=False)
    if saved.origin:
        out.print(f"branched from {saved.origin}", markup=False)


@app.command(name="replay")
def replay_command(
    save: Annotated[Path, typer.Argument(help="A saved game (.json or .json.gz).")],
    turn: Annotated[int | None, typer.Option(help="Start at this turn.")] = None,
    side: Annotated[
        str | None, typer.Option(help="Review as this actor: only what it saw of the game.")
    ] = None,
    verify: Annotated[
        bool, typer.Option("--verify", help="Only check that the save replays exactly.")
    ] = False,
    view: Annotated[bool, typer.Option("--view", help="Step through it in the map view.")] = False,
    screenshot: Annotated[
        Path | None,
        typer.Option(help="Draw the map view of --turn into this PNG file and exit."),
    ] = None,
    fullscreen: Annotated[bool, typer.Option(help="Open the map view full screen.")] = False,
) -> None:
    """Step through a saved game, at the terminal or in the map view (--view).

    Next and previous turn, goto N, the events of a turn, the game as any side saw it,
    bookmarks and notes; commands are read from stdin (a pipe too); the map view has a
    timeline, play and pause."""
    from engine.play.replay_browser import ReplayBrowser
    from engine.play.terminal import stdin_reader
    from engine.saves import write_save

    replay = _open_replay(save)
    if side is not None and side not in replay.spec.actor_by_id:
        raise _fail(
            f"--side {side}: {replay.spec.scenario_id} has no such actor; choose one of "
            f"{', '.join(a.id for a in replay.spec.actors)}"
        )
    if turn is not None and not 1 <= turn <= max(replay.last_turn, 1):
        raise _fail(f"--turn {turn}: this game has turns 1 to {replay.last_turn}")
    replay.verify()
    if verify:
        final = replay.state_at(replay.last_turn + 1).digest()
        out.print(
            f"{save}: replays exactly, {replay.last_turn} turn{'s' * (replay.last_turn != 1)}, "
            "every digest matches; "
            f"final digest {final}",
            soft_wrap=True,
        )
        return
    if screenshot is not None:
        from engine.view.launch import screenshot_replay, use_dummy_display

        _check_image_path(screenshot)
        use_dummy_display()
        screenshot_replay(replay, screenshot, side or "", turn or max(1, replay.last_turn))
        out.print(f"wrote {screenshot}")
        return
    if view:
        from engine.view.app import headless
        from engine.view.launch import replay_in_view

        if headless():
            raise _fail("--view needs a display; use --screenshot FILE to draw a turn without one")
        replay_in_view(
            replay,
            side or "",
            turn or 1,
            keep_notes=lambda game: write_save(save, game),
            fullscreen=fullscreen,
            screenshots=save.parent,
        )
        return
    _describe_save(replay, save)
    browser = ReplayBrowser(
        replay, out, stdin_reader(out), side, keep_notes=lambda game: write_save(save, game)
    )
    browser.run(turn or 1)


@app.command()
def branch(
    save: Annotated[Path, typer.Argument(help="The saved game to branch from.")],
    turn: Annotated[int, typer.Option(help="The turn the new game plays next.")],
    out_file: Annotated[Path, typer.Option("--out", help="The new save to write.")],
    force: Annotated[bool, typer.Option(help="Replace --out if it exists.")] = False,
) -> None:
    """Start a new game from turn N of a saved one.

    The turns before N are kept, and the new game goes on from there (redline play
    --resume NEW).  The saved game is left as it is."""
    from engine.saves import write_save

    _check_out_path(out_file)
    if out_file.resolve() == save.resolve():
        raise _fail(f"--out {out_file} is the game being branched from; choose a new file")
    if out_file.exists() and not force:
        raise _fail(f"--out {out_file} exists; choose another name, or add --force to replace it")
    replay = _open_replay(save)
    if not 1 <= turn <= replay.last_turn + 1:
        raise _fail(f"--turn {turn}: a branch can start at turns 1 to {replay.last_turn + 1}")
    new = replay.branch(turn, origin=f"{save.name}, turn {turn}")
    write_save(out_file, new)
    how = (
        f"redline orders-template {out_file} --team TEAM"
        if new.teams
        else f"redline play --resume {out_file}"
    )
    out.print(
        f"wrote {out_file}: {new.scenario} with turns 1 to {turn - 1} of {save}; "
        f"continue with '{how}'",
        soft_wrap=True,
        markup=False,
    )


@app.command()
def annotate(
    save: Annotated[Path, typer.Argument(help="The saved game.")],
    turn: Annotated[int, typer.Option(help="The turn to mark or annotate.")],
    bookmark: Annotated[str | None, typer.Option(help="A short label for the turn.")] = None,
    note: Annotated[str | None, typer.Option(help="A note for the debrief.")] = None,
) -> None:
    """Bookmark or annotate a turn of a saved game, for the debrief."""
    from engine.saves import Note, read_save, write_save

    if not bookmark and not note:
        raise _fail("give --bookmark LABEL, --note TEXT or both")
    saved = read_save(save)
    if not 1 <= turn < saved.next_turn:
        raise _fail(f"--turn {turn}: this game has turns 1 to {saved.next_turn - 1}")
    if bookmark:
        saved.bookmarks.append(Note(turn, bookmark))
    if note:
        saved.annotations.append(Note(turn, note))
    write_save(save, saved)
    out.print(f"{save}: turn {turn} {'bookmarked' if bookmark else 'annotated'}", markup=False)


@app.command(name="compare")
def compare_command(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario files to compare.")],
    games: Annotated[int, typer.Option(help="Seeded games per scenario.")] = 100,
    first_seed: Annotated[int, typer.Option(help="Seed of the first game.")] = 1,
    workers: Annotated[int, typer.Option(help="Local worker processes.")] = 1,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write a CSV.")] = None,
    bot: Annotated[list[str] | None, BOT_OPTION] = None,
    difficulty: Annotated[str | None, DIFFICULTY_OPTION] = None,
) -> None:
    """Play every scenario with the same seeds and compare their outcome measures."""
    from rich.progress import Progress

    from engine.analysis.compare import compare
    from engine.files import atomic_write_text

    _check_out_path(out_file)
    if games < 1 or workers < 1:
        raise _fail("--games and --workers must be at least 1")
    from engine.core import Rules

    for scenario in scenarios:
        game = _load(scenario)
        _bots(game, Rules(game.spec), bot or (), difficulty)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("playing", total=games * len(scenarios))
        summaries = compare(
            scenarios,
            games,
            first_seed,
            workers,
            lambda n: progress.advance(task, n),
            controllers=parse_bot_choices(bot or ()),
            difficulty=difficulty,
        )
    ids = list(dict.fromkeys(s.scenario for s in summaries))
    table = Table(
        title=f"Outcome measures: mean ± 95% CI over {games} games (seeds "
        f"{first_seed}-{first_seed + games - 1})"
    )
    table.add_column("measure")
    for scenario_id in ids:
        table.add_column(scenario_id, justify="right")
    by_key = {(s.scenario, s.outcome): s for s in summaries}
    for outcome in dict.fromkeys(s.outcome for s in summaries):
        first = next(s for s in summaries if s.outcome == outcome)
        cells = []
        for scenario_id in ids:
            summary = by_key.get((scenario_id, outcome))
            cells.append(f"{summary.mean:.2f} ± {summary.half_width:.2f}" if summary else "-")
        table.add_row(escape(first.name), *cells)
    out.print(table)
    if out_file is not None:
        lines = ["scenario,outcome,games,mean,stdev,ci95_low,ci95_high"]
        lines += [
            f"{s.scenario},{s.outcome},{s.games},{s.mean:.6g},{s.stdev:.6g},"
            f"{s.mean - s.half_width:.6g},{s.mean + s.half_width:.6g}"
            for s in summaries
        ]
        try:
            atomic_write_text(out_file, "\n".join(lines) + "\n")
        except OSError as exc:
            raise _fail(f"cannot write {out_file}: {exc.strerror or exc}") from None
        out.print(f"wrote {out_file}")


@app.command()
def version() -> None:
    """Print the engine version."""
    out.print(f"redline {__version__}")


register_exercise(app)
register_analysis(app)
register_experiment(app)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the console script; turns any Redline error into a clean exit."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="redline")
    except RedlineError as exc:
        err.print(f"error: {exc}", soft_wrap=True, markup=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
