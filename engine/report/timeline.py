"""What happened turn by turn, who ordered what, and the notes taken on the way.

A debrief walks through the game in order, so the timeline keeps to the events people
talk about (red line steps, escalation, areas changing hands, combat, losses, messages,
the white cell's controls with their reasons, the end) and the one-line reasons the
computer players gave; the hundreds of track and budget changes behind them stay in
the save.  The orders follow, actor by actor, so that each team can see its own plan.
"""

from __future__ import annotations

from engine.core import Event
from engine.core.events import (
    CombatResolved,
    ControlChanged,
    EscalationChanged,
    GameEnded,
    MessageSent,
    RedLineChanged,
    TrackChanged,
    UnitDestroyed,
)
from engine.core.spec import GameSpec
from engine.report.document import Block, Bullets, Item, Paragraph, Section, Table
from engine.report.sight import SeenControl, SeenTurn, Sight
from engine.report.summary import number, teams_of

TIMELINE = "Timeline"
ORDERS = "Orders by team and actor"
NOTES = "Bookmarks and annotations"


def one_line(text: str) -> str:
    """Text on one line: reasons and notes may hold line breaks a table cannot."""
    return " ".join(text.split())


def _name(spec: GameSpec, actor: str) -> str:
    known = spec.actor_by_id.get(actor)
    return known.name if known else actor or "nobody"


def _rung(spec: GameSpec, rung: str) -> str:
    ladder = spec.ladder
    if ladder is None or rung not in ladder.rungs:
        return rung
    return ladder.names[ladder.rungs.index(rung)]


def _theater(spec: GameSpec, theater: str) -> str:
    return next((t.name for t in spec.theaters if t.id == theater), theater)


def _area(spec: GameSpec, area: str) -> str:
    known = spec.area_by_id.get(area)
    return known.name if known else area


def headline(spec: GameSpec, event: Event) -> Item | None:
    """The timeline's line for ``event``, or None when it is not one the timeline shows."""
    if isinstance(event, RedLineChanged):
        line = spec.red_line_by_id.get(event.red_line)
        name = line.name if line else event.red_line
        by = f" by {_name(spec, event.actor)}" if event.status in ("crossed", "enforced") else ""
        return Item(
            f"{name} ({event.red_line}), declared by {_name(spec, event.declared_by)}: "
            f"{event.status}{by}",
            "red line",
        )
    if isinstance(event, EscalationChanged):
        return Item(
            f"{_theater(spec, event.theater)}: {_rung(spec, event.before)} → "
            f"{_rung(spec, event.after)}",
            "escalation",
        )
    if isinstance(event, ControlChanged):
        return Item(
            f"{_area(spec, event.area)} passes from {_name(spec, event.before)} to "
            f"{_name(spec, event.after)}",
            "territory",
        )
    if isinstance(event, CombatResolved):
        return Item(event.describe(), "combat")
    if isinstance(event, UnitDestroyed):
        return Item(event.describe(), "loss")
    if isinstance(event, MessageSent):
        return Item(f"to {event.to}: {one_line(event.text)}", "message")
    if isinstance(event, GameEnded):
        return Item(event.reason, "game over")
    return None


def change(spec: GameSpec, event: Event) -> str:
    """Any event in words: a headline's text, a track's move by name, else its own line."""
    item = headline(spec, event)
    if item is not None:
        return item.text
    if isinstance(event, TrackChanged):
        track = spec.track_by_id.get(event.track)
        name = track.name if track else event.track
        if event.scope:
            scope = spec.actor_by_id.get(event.scope)
            name += f" ({scope.name if scope else _theater(spec, event.scope)})"
        return f"{name}: {number(event.before)} → {number(event.after)}"
    return event.describe()


def control_item(spec: GameSpec, control: SeenControl, full: bool) -> Item:
    """A white-cell control with its reason and what the viewers saw it do; the
    facilitator's report also spells out an override's effects as written."""
    record = control.record
    what = f"inject of '{record.trigger}'" if record.kind == "inject" else "override"
    if full and record.kind == "override":
        written = "; ".join(
            ", ".join(f"{key}: {value}" for key, value in effect.items())
            for effect in record.effects
        )
        what += f" ({written})"
    done = "; ".join(change(spec, e) for e in control.events)
    text = f"{what}: {one_line(record.reason)}"
    return Item(f"{text} — {done}" if done else text, "white cell")


def _turn_items(sight: Sight, seen: SeenTurn) -> list[Item]:
    spec, saved = sight.spec, sight.replay.saved
    items = [Item(one_line(n.text), "bookmark") for n in saved.bookmarks if n.turn == seen.turn]
    if not sight.viewers:  # the white cell's notes are for the facilitator's report
        items += [Item(one_line(n.text), "note") for n in saved.annotations if n.turn == seen.turn]
    by_control = {f"control:{c.number}" for c in seen.controls}
    for event in seen.events:
        if event.cause in by_control and event.phase == "control":
            continue  # told with its control below
        item = headline(spec, event)
        if item is not None:
            items.append(item)
    items += [control_item(spec, c, sight.is_full) for c in seen.controls]
    items += [Item(f"{_name(spec, who)}: {one_line(why)}", "why") for who, why in seen.reasons]
    return items


def timeline_section(sight: Sight) -> Section:
    """Every turn: its date, headline events, controls, reasons, bookmarks and notes."""
    turns: list[Block] = []
    opening = sight.turn(0)
    if opening.controls or any(headline(sight.spec, e) for e in opening.events):
        turns.append(Section("Before turn 1", (Bullets(tuple(_turn_items(sight, opening))),), 3))
    for seen in sight.turns():
        items = _turn_items(sight, seen)
        body: Block = Bullets(tuple(items)) if items else Paragraph("Nothing of note.")
        turns.append(Section(f"Turn {seen.turn} · {seen.date}", (body,), level=3))
    if not turns:
        turns.append(Paragraph("No turn was played."))
    return Section(TIMELINE, tuple(turns))


def orders_section(sight: Sight) -> Section:
    """Every order of every turn, grouped by team (or by side) and then by actor; a
    team's report lists only its own actors' orders."""
    spec = sight.spec
    shown = sight.actors()
    groups: list[tuple[str, list[str]]] = []
    teams = teams_of(sight.replay.saved)
    placed: set[str] = set()
    for team in teams:
        members = [a.id for a in shown if a.id in team.actors]
        placed.update(members)
        if members:
            groups.append((team.name, members))
    for side in spec.sides:
        members = [a.id for a in shown if a.side == side.id and a.id not in placed]
        if members:
            groups.append((f"{side.name} (not in a team)" if teams else side.name, members))
    blocks: list[Block] = []
    for title, members in groups:
        actors: list[Block] = [_actor_orders(sight, actor) for actor in members]
        blocks.append(Section(title, tuple(actors), level=3))
    return Section(ORDERS, tuple(blocks) or (Paragraph("No orders to show."),))


def _actor_orders(sight: Sight, actor: str) -> Section:
    rows = []
    for seen in sight.turns():
        given = [o.text() for o in seen.orders if o.actor == actor]
        if given:
            rows.append((str(seen.turn), seen.date, "; ".join(given)))
    body: Block = (
        Table(("Turn", "Date", "Orders"), tuple(rows)) if rows else Paragraph("No orders given.")
    )
    return Section(f"{_name(sight.spec, actor)} ({actor})", (body,), level=4)


def notes_section(sight: Sight) -> Section:
    """Bookmarks and annotations, by turn: what the room wanted to come back to."""
    saved = sight.replay.saved
    notes = [(n.turn, 0, "bookmark", n.text) for n in saved.bookmarks]
    if not sight.viewers:
        notes += [(n.turn, 1, "annotation", n.text) for n in saved.annotations]
    notes.sort(key=lambda note: (note[0], note[1]))
    if not notes:
        return Section(NOTES, (Paragraph("No bookmarks or annotations were recorded."),))
    rows = tuple((str(turn), kind, one_line(text)) for turn, _, kind, text in notes)
    return Section(NOTES, (Table(("Turn", "Kind", "Text"), rows),))
