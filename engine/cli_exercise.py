"""The ``redline`` commands of a facilitated exercise: teams, sheets, turns, the white cell.

An exercise lives in a save.  ``facilitate`` starts one; each turn, ``orders-template``
hands every team of people a sheet (written by hand or in the map view), ``turn`` checks
every sheet, plays the turn and writes each team's report; between turns the white cell
may ``inject``, ``override`` or ``rewind``, each recorded in the save with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from engine.cli_options import BOT_OPTION, DIFFICULTY_OPTION, SAVES, SEED_OPTION
from engine.errors import ContentError, Diagnostic

if TYPE_CHECKING:
    from engine.core import Order
    from engine.exercise.sheets import Sheet, TurnOfGame
    from engine.exercise.teams import Team
    from engine.runner import Position
    from engine.saves import Replay
    from engine.saves.game import ControlKind
    from engine.view.app import ViewApp

TEAM_OPTION = typer.Option(
    "--team",
    help="NAME=human or NAME=bot for a team of the scenario; NAME=human:ACTOR,ACTOR for a new one.",
)
REASON_OPTION = typer.Option(help="Why: recorded in the save and shown in the reports.")


def _exercise(save: Path) -> tuple[Replay, dict[str, Team]]:
    """The exercise in ``save``, checked, and its teams; refused if it has none."""
    from engine.exercise.teams import saved_teams
    from engine.saves import Replay

    replay = Replay.open(save)
    replay.verify()
    teams = saved_teams(replay.saved.teams)
    if not teams:
        raise _base()._fail(
            f"{save}: this game is not an exercise (it has no teams); start one with "
            "'redline facilitate SCENARIO'"
        )
    return replay, teams


def _next_position(replay: Replay, save: Path) -> Position:
    position = replay.position(replay.last_turn + 1)
    if position.state.finished:
        raise _base()._fail(
            f"{save}: the exercise is over after turn {replay.last_turn}; "
            "'redline report' writes the after-action report"
        )
    return position


def _human_team(teams: Mapping[str, Team], name: str) -> Team:
    from engine.exercise.teams import TeamError, find_team

    try:
        team = find_team(teams, name)
    except TeamError as exc:
        raise _base()._fail(str(exc)) from None
    if not team.is_human:
        raise _base()._fail(f"team {team.id} is played by the computer: it needs no sheet")
    return team


def _describe_teams(teams: Mapping[str, Team]) -> Table:
    table = Table(show_header=True, title="Teams")
    table.add_column("team")
    table.add_column("played by")
    table.add_column("actors")
    for team in teams.values():
        who = "people" if team.is_human else "computer"
        table.add_row(escape(f"{team.id} ({team.name})"), who, escape(", ".join(team.actors)))
    return table


def facilitate(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    team: Annotated[list[str] | None, TEAM_OPTION] = None,
    seed: Annotated[int | None, SEED_OPTION] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="The exercise's save (default: saves/).")
    ] = None,
    bot: Annotated[list[str] | None, BOT_OPTION] = None,
    difficulty: Annotated[str | None, DIFFICULTY_OPTION] = None,
    force: Annotated[bool, typer.Option(help="Replace --out if it exists.")] = False,
) -> None:
    """Start a facilitated exercise: teams of people and of computer players, one save."""
    from engine.exercise.teams import TeamError, choose_teams
    from engine.saves import write_save

    target = out_file or SAVES / f"{scenario.stem}-exercise.json"
    if out_file is None:
        SAVES.mkdir(exist_ok=True)
    _base()._check_out_path(target)
    if target.exists() and not force:
        raise _base()._fail(
            f"{target} exists: starting an exercise there would replace it; choose another "
            "--out, or add --force"
        )
    game = _base()._load(scenario)
    try:
        teams = choose_teams(game, team or ())
    except TeamError as exc:
        raise _base()._fail(str(exc)) from None
    if not any(t.is_human for t in teams.values()):
        raise _base()._fail("no team is played by people: give one with --team NAME=human")
    humans = frozenset(a for t in teams.values() if t.is_human for a in t.actors)
    session = _base()._new_session(game, seed, target, bot or (), difficulty, humans)
    assert session.save is not None
    session.save.teams = {team_id: t.record() for team_id, t in teams.items()}
    write_save(target, session.save)
    spec = game.spec
    _base().out.print(
        f"[bold]{escape(spec.scenario_name)}[/bold]: exercise saved to {escape(str(target))}, "
        f"seed {session.seed}, turn 1 of {spec.turns} ({spec.calendar.label(1)})",
        soft_wrap=True,
    )
    _base().out.print(_describe_teams(teams))
    people = [t.id for t in teams.values() if t.is_human]
    _base().out.print("Each turn: hand every team of people its sheet,", markup=False)
    for team_id in people:
        _base().out.print(
            f"  redline orders-template {target} --team {team_id}", markup=False, soft_wrap=True
        )
    sheets = " ".join(f"--orders SHEET-{t}" for t in people)
    _base().out.print(
        f"then play the turn:\n  redline turn {target} {sheets}", markup=False, soft_wrap=True
    )


def orders_template(
    save: Annotated[Path, typer.Argument(help="The exercise's save.")],
    team: Annotated[str, typer.Option(help="The team whose sheet to write.")],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="The sheet to write (default: beside the save).")
    ] = None,
    view: Annotated[
        bool, typer.Option("--view", help="Give the orders in the map view; they fill the sheet.")
    ] = False,
    force: Annotated[bool, typer.Option(help="Replace --out if it exists.")] = False,
) -> None:
    """Write a team's order sheet for the next turn.

    The sheet lists its forces, where each may go and the actions open to it; with --view
    the team gives its orders in the map view and they fill the sheet."""
    from engine.exercise.sheets import template, when_of
    from engine.exercise.turns import views
    from engine.files import atomic_write_text

    replay, teams = _exercise(save)
    chosen = _human_team(teams, team)
    position = _next_position(replay, save)
    when = when_of(replay.rules, replay.saved.scenario, position)
    target = out_file or save.parent / f"{save.stem}.turn-{when.turn:03d}.{chosen.id}.yaml"
    _base()._check_out_path(target)
    if target.exists() and not force:
        raise _base()._fail(f"{target} exists; choose another --out, or add --force to replace it")
    given: dict[str, list[Order]] = {}
    if view:
        given = _orders_in_view(replay, chosen, position, save)
    seen = views(replay.rules, position, chosen.actors)
    try:
        atomic_write_text(target, template(replay.rules, chosen, when, seen, given))
    except OSError as exc:
        raise _base()._fail(f"cannot write {target}: {exc.strerror or exc}") from None
    _base().out.print(
        f"wrote {target}: the sheet of team {chosen.id} for turn {when.turn}",
        markup=False,
        soft_wrap=True,
    )


def _orders_in_view(
    replay: Replay, team: Team, position: Position, save: Path
) -> dict[str, list[Order]]:
    from engine.view.app import headless
    from engine.view.team import open_view, orders_in_view

    if headless():
        raise _base()._fail("--view needs a display; fill the sheet by hand instead")
    app = open_view(replay, f"{team.name}: orders", save.parent)
    given = orders_in_view(app, replay, team, position)
    if given is None:
        raise _base()._fail("the window was closed before the orders were given: no sheet written")
    return given


def turn(
    save: Annotated[Path, typer.Argument(help="The exercise's save.")],
    orders: Annotated[
        list[Path] | None, typer.Option("--orders", help="A team's sheet (one per team of people).")
    ] = None,
    view: Annotated[
        bool,
        typer.Option(
            "--view", help="Teams without a sheet give their orders in the map view, in turn."
        ),
    ] = False,
    clock: Annotated[
        float | None, typer.Option(help="Minutes each team has in the map view (P pauses).")
    ] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Save the game here instead of over SAVE.")
    ] = None,
    reports: Annotated[
        Path | None, typer.Option(help="Folder for the teams' reports (default: beside the save).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace --out if it exists.")] = False,
) -> None:
    """Check the teams' sheets, then play the turn and write each team's report.

    Nothing is played while any sheet is wrong. With --view, the teams without a sheet
    take the map view one after the other (a hand-over screen between them), and the
    white cell then sees the turn in the control view."""
    from engine.exercise.sheets import check_sheets, missing_teams, when_of
    from engine.exercise.turns import play_turn, views
    from engine.saves.store import AUTOSAVE_KEEP, Autosave

    replay, teams = _exercise(save)
    position = _next_position(replay, save)
    when = when_of(replay.rules, replay.saved.scenario, position)
    target = out_file or save
    _base()._check_out_path(target)
    if out_file is not None and out_file.exists() and not force and out_file != save:
        raise _base()._fail(f"--out {out_file} exists; choose another name, or add --force")
    if clock is not None and clock <= 0:
        raise _base()._fail("--clock is a number of minutes above 0")
    people = [a for t in teams.values() if t.is_human for a in t.actors]
    seen = views(replay.rules, position, people)
    sheets, problems, claimed = check_sheets(orders or (), replay.rules, teams, when, seen)
    absent = [t for t in missing_teams(teams, sheets) if t not in claimed]
    if not view:
        problems += [
            Diagnostic(
                "error",
                str(save),
                0,
                0,
                "",
                f"no sheet from team {team_id}",
                f"redline orders-template {save} --team {team_id}, or play the turn with --view",
            )
            for team_id in absent
        ]
    if problems:
        _base()._print_diagnostics(problems)
        raise _base()._fail(
            f"turn {when.turn} was not played: {len(problems)} problem"
            f"{'s' * (len(problems) != 1)} in the sheets; correct them and run 'redline turn' again"
        )
    if view and absent:
        from engine.view.app import headless

        if headless():
            raise _base()._fail("--view needs a display; hand in sheets instead")
    folder = reports or target.parent / f"{target.stem}-reports"
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise _base()._fail(
            f"cannot make the reports folder {folder}: {exc.strerror or exc}; the turn was not "
            "played"
        ) from None
    app = None
    if view and absent:
        app = _teams_in_view(replay, teams, absent, position, when, sheets, save, clock)
    record = play_turn(replay, teams, sheets, Autosave(target, AUTOSAVE_KEEP))
    played = record.turns[-1]
    _base().out.print(
        f"turn {played.turn} {played.date}: {_base().turn_summary(played)}", markup=False
    )
    _base().out.print(f"wrote {target}", markup=False, soft_wrap=True)
    _write_reports(replay, teams, played.turn, folder)
    if app is not None:
        from engine.saves import write_save
        from engine.view.replay import ReplayController
        from engine.view.team import hand_to_white_cell

        if hand_to_white_cell(app, replay, f"turn {played.turn} has been played"):
            control = ReplayController(
                app, replay, "", played.turn, keep_notes=lambda game: write_save(target, game)
            )
            app.attach(control)
            app.say(f"Turn {played.turn} played. The control view sees everything; close it.")
            app.run()


def _teams_in_view(
    replay: Replay,
    teams: Mapping[str, Team],
    absent: Sequence[str],
    position: Position,
    when: TurnOfGame,
    sheets: dict[str, Sheet],
    save: Path,
    clock: float | None,
) -> ViewApp:
    """Each team in ``absent`` gives its orders at the screen, after a hand-over screen;
    its orders join the sheets as if written on one."""
    from engine.exercise.sheets import Sheet
    from engine.view.team import open_view, orders_in_view

    app = open_view(replay, f"{replay.spec.scenario_name}: turn {when.turn}", save.parent)
    for team_id in absent:
        team = teams[team_id]
        seconds = None if clock is None else clock * 60
        given = orders_in_view(app, replay, team, position, f"turn {when.turn}", seconds)
        if given is None:
            raise _base()._fail(
                f"the window was closed while team {team_id} gave its orders: turn {when.turn} "
                "was not played"
            )
        sheets[team_id] = Sheet("(map view)", team_id, when.turn, when.state, given)
    return app


def _write_reports(replay: Replay, teams: Mapping[str, Team], number: int, folder: Path) -> None:
    from engine.exercise.turn_report import team_turn_report
    from engine.files import atomic_write_text

    try:
        for team in teams.values():
            if team.is_human:
                path = folder / f"turn-{number:03d}-{team.id}.md"
                atomic_write_text(path, team_turn_report(replay, team, number))
                _base().out.print(f"wrote {path}", markup=False, soft_wrap=True)
    except OSError as exc:
        raise _base()._fail(
            f"cannot write the reports into {folder}: {exc.strerror or exc}"
        ) from None


# ----------------------------------------------------------------------------- white cell


def _apply_control(
    save: Path,
    kind: ControlKind,
    reason: str,
    trigger: str,
    effects: Sequence[Mapping[str, Any]],
    label: str = "",
) -> None:
    from engine.saves import ControlRecord, write_save

    if not reason.strip():
        raise _base()._fail("give a --reason: it is recorded in the save and read in the reports")
    replay, _teams = _exercise(save)
    _next_position(replay, save)
    record = ControlRecord(kind, reason, trigger=trigger, effects=tuple(effects))
    try:
        events = replay.add_control(record)
    except ContentError as exc:
        _base()._print_diagnostics(exc.diagnostics)
        raise _base()._fail(f"{save}: the {kind} was refused; nothing was recorded") from None
    write_save(save, replay.saved)
    when = "before turn 1" if replay.last_turn == 0 else f"after turn {replay.last_turn}"
    _base().out.print(f"{label or kind} recorded {when}: {reason}", markup=False)
    for event in events:
        _base().out.print(f"    {event.describe()}", markup=False, soft_wrap=True)


def inject(
    save: Annotated[Path, typer.Argument(help="The exercise's save.")],
    trigger: Annotated[
        str | None, typer.Argument(help="One of the scenario's injects (see 'injects').")
    ] = None,
    news: Annotated[
        str | None, typer.Option(help="An inject written on the spot: the news every team reads.")
    ] = None,
    effect: Annotated[
        list[str] | None,
        typer.Option(help="With --news: what the inject does, as an effect in a scenario."),
    ] = None,
    reason: Annotated[str, REASON_OPTION] = "the white cell's inject",
) -> None:
    """Fire one of the scenario's injects now, or one written on the spot (--news).

    A scenario's inject fires whatever its condition; one written on the spot is news for
    every team, with --effect for what it does."""
    if (trigger is None) == (news is None):
        raise _base()._fail("name one of the scenario's injects, or write one with --news TEXT")
    if trigger is not None:
        if effect:
            raise _base()._fail("--effect goes with --news: a scenario's inject has its own")
        _apply_control(save, "inject", reason, trigger, ())
        return
    effects = [{"message": news, "to": "all"}]
    effects += [_effect(text, index) for index, text in enumerate(effect or ())]
    _apply_control(save, "override", reason, "", effects, "inject written on the spot")


def override(
    save: Annotated[Path, typer.Argument(help="The exercise's save.")],
    effect: Annotated[
        list[str],
        typer.Option(
            help="An effect as in a scenario, e.g. '{adjust: tension, scope: europe, by: -5}'."
        ),
    ],
    reason: Annotated[str, REASON_OPTION],
) -> None:
    """Change the game by hand (a result the white cell sets right), with a reason."""
    effects = [_effect(text, index) for index, text in enumerate(effect)]
    _apply_control(save, "override", reason, "", effects)


def _effect(text: str, index: int) -> dict[str, Any]:
    """One ``--effect`` read as a YAML mapping (safe: nothing in it is run)."""
    from engine.content.source import parse_text

    document = parse_text(text, f"--effect {index + 1}")
    if document.diagnostics:
        _base()._print_diagnostics(document.diagnostics)
        raise _base()._fail(f"--effect {text!r} is not YAML")
    if not isinstance(document.data, dict):
        raise _base()._fail(
            f"--effect {text!r}: write a mapping, e.g. '{{adjust: tension, by: -5}}'"
        )
    return document.data


def rewind(
    save: Annotated[Path, typer.Argument(help="The exercise's save.")],
    to_turn: Annotated[int, typer.Option(help="The turn to play again from.")],
    reason: Annotated[str, REASON_OPTION],
) -> None:
    """Take the exercise back to the start of a turn.

    The turns dropped are kept in a copy in the autosave folder, and the rewind is
    recorded in the save."""
    from dataclasses import replace

    from engine.saves import write_save
    from engine.saves.game import Rewind

    if not reason.strip():
        raise _base()._fail("give a --reason: it is recorded in the save and read in the reports")
    replay, _teams = _exercise(save)
    last = replay.last_turn
    if last == 0:
        raise _base()._fail(f"{save}: no turn has been played yet: there is nothing to go back to")
    if not 1 <= to_turn <= last:
        raise _base()._fail(f"--to-turn {to_turn}: this exercise can go back to turns 1 to {last}")
    dropped = replay.state_at(last + 1).digest()
    folder = save.parent / "autosave"
    name = f"{save.stem}.rewound-turns-{to_turn:03d}-{last:03d}"
    backup = folder / f"{name}{save.suffix or '.json'}"
    copy = 2
    while backup.exists():  # an earlier rewind over the same turns: keep both games
        backup = folder / f"{name}.{copy}{save.suffix or '.json'}"
        copy += 1
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise _base()._fail(f"cannot create {folder}: {exc.strerror or exc}") from None
    write_save(backup, replay.saved)
    game = replay.branch(to_turn, origin=replay.saved.origin)
    game = replace(game, rewinds=[*game.rewinds, Rewind(last + 1, to_turn, reason, dropped)])
    write_save(save, game)
    _base().out.print(
        f"{save}: back at the start of turn {to_turn} ({reason}); turns {to_turn} to {last} "
        f"are kept in {backup}",
        markup=False,
        soft_wrap=True,
    )


def injects(save: Annotated[Path, typer.Argument(help="The exercise's save.")]) -> None:
    """List the scenario's injects: what each does, and whether it has fired."""
    replay, _teams = _exercise(save)
    state = replay.state_at(replay.last_turn + 1)
    fired = dict(state.trigger_turns)
    table = Table(show_header=True, title="Injects of the scenario")
    table.add_column("inject")
    table.add_column("fired")
    table.add_column("what it is")
    for trigger_id, trigger in replay.game.scenario.triggers.items():
        when = f"turn {fired[trigger_id]}" if trigger_id in fired else "-"
        table.add_row(trigger_id, when, escape(trigger.description or ""))
    _base().out.print(table)
    _base().err.print("fire one with: redline inject SAVE INJECT --reason TEXT", markup=False)


def report(
    save: Annotated[Path, typer.Argument(help="A saved game or exercise.")],
    out_dir: Annotated[Path, typer.Option("--out", help="The folder to write the report into.")],
    team: Annotated[
        str | None,
        typer.Option(help="A team (or ACTOR,ACTOR): only what it saw goes into its report."),
    ] = None,
    teams: Annotated[
        bool,
        typer.Option("--teams", help="Also write each team of people its own report, in OUT/TEAM."),
    ] = False,
) -> None:
    """Write the after-action report, in HTML and Markdown.

    The timeline, every order, each red line's story, charts of credibility, assurance
    and escalation, bookmarks and notes, and maps of the turns that mattered."""
    from engine.report import build_report, viewers_named
    from engine.saves import Replay

    replay = Replay.open(save)
    replay.verify()
    viewers = viewers_named(replay, team) if team else ()
    files = build_report(replay, out_dir, viewers)
    _base().out.print(f"wrote {files.html} and {files.markdown}", markup=False)
    if not teams:
        return
    for team_id, record in replay.saved.teams.items():
        if record.player == "human":
            own = build_report(replay, out_dir / team_id, record.actors, f"{record.name}")
            _base().out.print(f"wrote {own.html} and {own.markdown}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the exercise's commands to the ``redline`` command."""
    app.command()(facilitate)
    app.command(name="orders-template")(orders_template)
    app.command()(turn)
    app.command()(inject)
    app.command()(override)
    app.command()(rewind)
    app.command()(injects)
    app.command()(report)


def _base() -> ModuleType:
    """The command's shared helpers, taken when a command runs (``engine.cli`` imports
    this module to register the commands, so it cannot be imported at the top)."""
    from engine import cli

    return cli
