"""Rendering a game for the terminal: tracks, forces, red lines and events, with rich.

Shared by solo play and by the replay browser, so that a turn looks the same whether it
is being played or reviewed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from engine.core import Event, GameState, TakeAction, Unit
from engine.core.board import ESCALATION_TRACK
from engine.core.events import (
    ActionTaken,
    ActionVoided,
    CascadeCut,
    CombatResolved,
    ControlChanged,
    EscalationChanged,
    GameEnded,
    MessageSent,
    MoveBounced,
    OrderRejected,
    RedLineChanged,
    UnitAdded,
    UnitDamaged,
    UnitDestroyed,
    UnitMoved,
    UnitRelocated,
    UnitRemoved,
)
from engine.core.spec import GameSpec
from engine.core.state import RedLineState


def say(console: Console, text: str, markup: bool = False, hang: int = 0) -> None:
    """One indented line, wrapped by words with its continuation lines indented too
    (by ``hang`` more, to line up after a label)."""
    body = Text.from_markup(text) if markup else Text(text)
    if hang:
        grid = Table.grid()
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row(body[:hang], body[hang:])
        console.print(Padding(grid, (0, 0, 0, 2), expand=False))
    else:
        console.print(Padding(body, (0, 0, 0, 2), expand=False))


def short_number(value: float) -> str:
    """A number for the screen: at most one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def area_label(spec: GameSpec, area: str) -> str:
    return f"{area} (off-map)" if spec.area_by_id[area].offmap else area


def strength_summary(units: Sequence[Unit]) -> str:
    count = len(units)
    total = sum(u.strength for u in units)
    return f"{count} unit{'s' * (count != 1)}, strength {short_number(total)}"


def _by_area(spec: GameSpec, units: Iterable[Unit]) -> list[tuple[str, list[Unit]]]:
    areas: dict[str, list[Unit]] = {}
    for unit in sorted(units, key=lambda u: (spec.area_index[u.area], u.id)):
        areas.setdefault(unit.area, []).append(unit)
    return list(areas.items())


def units_by_area(spec: GameSpec, units: Sequence[Unit]) -> Table:
    """Units area by area: ``id type strength``, with the owner when there are several."""
    owners = len({u.owner for u in units}) > 1
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for area, here in _by_area(spec, units):
        grid.add_row(
            f"  {escape(area_label(spec, area))}",
            " · ".join(
                escape(
                    f"{u.id} {spec.unit_type_by_id[u.unit_type].name} {short_number(u.strength)}"
                    + (f" ({u.owner})" if owners else "")
                )
                for u in here
            ),
        )
    return grid


def area_totals(spec: GameSpec, units: Iterable[Unit]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for area, here in _by_area(spec, units):
        owners = ", ".join(sorted({u.owner for u in here}))
        grid.add_row(
            f"  {escape(area_label(spec, area))}", escape(f"{strength_summary(here)} ({owners})")
        )
    return grid


def wrap_items(items: Sequence[tuple[str, str]], width: int) -> list[str]:
    """Lay out ``(plain, markup)`` items two spaces apart in lines of at most ``width``
    characters, never splitting an item (a number from its target)."""
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for plain, markup in items:
        needed = len(plain) + (2 if line else 0)
        if line and used + needed > width:
            lines.append("  ".join(line))
            line, used, needed = [], 0, len(plain)
        line.append(markup)
        used += needed
    if line:
        lines.append("  ".join(line))
    return lines


def group_by_action(
    choices: Sequence[TakeAction],
) -> list[tuple[str, list[tuple[int, TakeAction]]]]:
    groups: dict[str, list[tuple[int, TakeAction]]] = {}
    for number, order in enumerate(choices, 1):
        groups.setdefault(order.action, []).append((number, order))
    return list(groups.items())


def red_line_status(turn: int, status: RedLineState, window: int) -> str:
    if status.status == "inactive":
        return "Not declared yet"
    if status.status == "armed":
        return f"Armed since turn {status.since}"
    if status.status == "crossed":
        deadline = status.crossed_turn + window
        when = "this turn" if deadline <= turn else f"by the end of turn {deadline}"
        by = f" by {status.crossed_by}" if status.crossed_by else ""
        return f"CROSSED{by} on turn {status.crossed_turn}: to be answered {when}"
    return f"{status.status.capitalize()} on turn {status.since}"


def _value(spec: GameSpec, state: GameState, track: str, scope: str) -> float | None:
    slot = spec.track_slots.get((track, scope))
    return None if slot is None else state.tracks[slot]


def _track_cells(
    spec: GameSpec,
    state: GameState,
    previous: GameState | None,
    track: str,
    scopes: Sequence[str],
) -> str:
    cells = []
    for scope in scopes:
        value = _value(spec, state, track, scope)
        if value is None:
            continue
        before = _value(spec, previous, track, scope) if previous is not None else None
        change = ""
        if before is not None and abs(value - before) >= 0.05:
            change = f" ({'+' if value > before else '-'}{short_number(abs(value - before))})"
        cells.append(f"{scope + ' ' if scope else ''}{short_number(value)}{change}")
    return " · ".join(cells)


def _scopes(spec: GameSpec, track: str, actors: Sequence[str]) -> list[str]:
    scope = spec.track_by_id[track].scope
    if scope == "theater":
        return [t.id for t in spec.theaters]
    if scope == "actor":
        return list(actors)
    return [""]


def print_tracks(
    console: Console, spec: GameSpec, actor: str, state: GameState, previous: GameState | None
) -> None:
    """The tracks that matter to the actor: credibility, escalation, tension, allies'
    assurance, with the change since the previous turn."""
    me = spec.actor_by_id[actor]
    allies = [a.id for a in spec.actors if a.side == me.side and a.id != actor]
    consequences = spec.red_line_consequences
    rows: list[tuple[str, str]] = []
    credibility = consequences.credibility_track or "credibility"
    if credibility in spec.track_by_id:
        rows.append(
            (
                spec.track_by_id[credibility].name,
                _track_cells(
                    spec, state, previous, credibility, _scopes(spec, credibility, [actor])
                ),
            )
        )
    if spec.ladder is not None and ESCALATION_TRACK in spec.track_by_id:
        ladder = spec.ladder
        cells = []
        for theater in spec.theaters:
            rung = int(_value(spec, state, ESCALATION_TRACK, theater.id) or 0)
            text = f"{theater.id} {ladder.names[rung]}"
            if previous is not None:
                before = int(_value(spec, previous, ESCALATION_TRACK, theater.id) or 0)
                if before != rung:
                    text += f" ({'up' if rung > before else 'down'} from {ladder.names[before]})"
            cells.append(text)
        rows.append(("Escalation", " · ".join(cells)))
    if "tension" in spec.track_by_id:
        rows.append(
            (
                spec.track_by_id["tension"].name,
                _track_cells(spec, state, previous, "tension", _scopes(spec, "tension", [actor])),
            )
        )
    assurance = consequences.assurance_track or "assurance"
    if assurance in spec.track_by_id and allies:
        scopes = _scopes(spec, assurance, allies)
        label = spec.track_by_id[assurance].name
        if spec.track_by_id[assurance].scope == "actor":
            label += " of allies"
        rows.append((label, _track_cells(spec, state, previous, assurance, scopes)))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column()
    for label, text in rows:
        if text:
            grid.add_row(escape(label), escape(text))
    console.print(grid)


def print_all_tracks(console: Console, spec: GameSpec, actor: str, state: GameState) -> None:
    """Every track the actor can see: tracks kept per actor only for its own side."""
    side = spec.actor_by_id[actor].side
    friends = [a.id for a in spec.actors if a.side == side]
    table = Table(
        title="Tracks you can see", title_justify="left", show_header=True, header_style="bold"
    )
    table.add_column("track")
    table.add_column("values")
    ladder = spec.ladder
    for track in spec.tracks:
        scopes = _scopes(spec, track.id, friends)
        if track.id == ESCALATION_TRACK and ladder is not None:
            cells = " · ".join(
                f"{scope} {ladder.names[int(_value(spec, state, track.id, scope) or 0)]}"
                for scope in scopes
            )
        else:
            cells = _track_cells(spec, state, None, track.id, scopes)
        table.add_row(escape(f"{track.name} ({track.id})"), escape(cells))
    console.print(table)


HEADLINES = (
    MessageSent,
    RedLineChanged,
    EscalationChanged,
    ControlChanged,
    CombatResolved,
    UnitDamaged,
    UnitDestroyed,
    UnitAdded,
    UnitRemoved,
    UnitRelocated,
    ActionTaken,
    ActionVoided,
    OrderRejected,
    MoveBounced,
    GameEnded,
    CascadeCut,
)
"""Events always shown in the summary of a turn; moves are shown when they are the actor's
or hostile, and the rest (track, budget and flag changes, triggers) only under 'events'."""


def print_events(
    console: Console,
    spec: GameSpec,
    actor: str,
    events: Sequence[Event],
    everything: bool,
    more: str = "type 'events' to see everything",
) -> None:
    """What the actor saw happen: every event, or (``everything`` false) the ones that matter
    most, with the actor's and hostile moves, allied moves counted, and ``more`` saying where
    to find the rest."""
    if not events:
        console.print("  nothing you could see happened")
        return
    if everything:
        for event in events:
            say(console, event.describe())
        return
    shown = 0
    allied_moves: dict[str, int] = {}
    for event in events:
        if isinstance(event, UnitMoved):
            if event.owner == actor or spec.are_hostile(actor, event.owner):
                say(console, event.describe())
                shown += 1
            else:
                allied_moves[event.owner] = allied_moves.get(event.owner, 0) + 1
                shown += 1
        elif isinstance(event, HEADLINES):
            text = event.describe()
            if isinstance(event, MessageSent):
                text = f"news: {event.text}"
            say(console, text)
            shown += 1
    if allied_moves:
        say(
            console,
            "allied moves: "
            + ", ".join(f"{who} {count}" for who, count in sorted(allied_moves.items())),
        )
    rest = len(events) - shown
    if rest:
        say(
            console,
            f"[dim]and {rest} track, budget and flag changes and triggers: {escape(more)}[/dim]",
            markup=True,
        )
