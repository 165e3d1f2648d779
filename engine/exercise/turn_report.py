"""What a team is handed after each turn: its orders and their fate, and what it saw.

The report is built only from the team's own actors' views (:func:`side_turn`), so it
holds nothing the team could not see: other teams' orders and reasons, hostile forces
out of sight and other actors' private red lines are not in it.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.core import Event, TakeAction
from engine.core.board import ESCALATION_TRACK
from engine.core.events import (
    ActionVoided,
    MessageSent,
    MoveBounced,
    OrderRejected,
    UnitMoved,
)
from engine.core.observation import observe, visible_red_lines
from engine.exercise.teams import Team
from engine.play.render import HEADLINES, short_number
from engine.saves.redact import side_turn
from engine.saves.replay import Replay


def team_turn_report(replay: Replay, team: Team, turn: int) -> str:
    """Markdown: turn ``turn`` as ``team`` saw it."""
    spec = replay.spec
    seen = [side_turn(replay, actor, turn) for actor in team.actors]
    date = replay.saved.turn(turn).date
    lines = [f"# Turn {turn} ({date}): {team.name}", ""]
    news = _news_before(replay, team, turn)
    if news:
        lines += ["## News before the turn", "", *[f"- {text}" for text in news], ""]
    lines += ["## Your orders", ""]
    for view in seen:
        refused = _failures(view.actor, view.events)
        if not view.orders and not refused:
            lines.append(f"- {view.actor}: no orders")
        for order in view.orders:
            text = order.text()
            fate = refused.get(text, "carried out")
            lines.append(f"- {view.actor}: `{text}`: {fate}")
        lines += [f"  - why: {reason}" for reason in view.reasons]
    lines += ["", "## What you saw happen", ""]
    headlines: list[str] = []
    changes: list[str] = []
    for view in seen:
        for event in view.events:
            text = event.describe()
            shown = headlines if isinstance(event, (*HEADLINES, UnitMoved)) else changes
            if text not in headlines and text not in changes:
                shown.append(text)
    lines += [f"- {text}" for text in headlines] or ["- nothing in sight"]
    if changes:
        lines += ["", "### Tracks, budgets and triggers", ""]
        lines += [f"- {text}" for text in changes]
    lines += ["", "## Where things stand", ""]
    first = seen[0]
    state = first.state
    for theater in spec.theaters:
        slot = spec.track_slots.get((ESCALATION_TRACK, theater.id))
        if slot is not None and spec.ladder is not None:
            rung = spec.ladder.names[int(state.tracks[slot])]
            lines.append(f"- escalation in {theater.name}: {rung}")
    for view in seen:
        budget = view.state.budgets[spec.actor_index[view.actor]]
        units = [u for u in view.state.units if u.owner == view.actor]
        lines.append(
            f"- {view.actor}: budget {short_number(budget)}, {len(units)} units, strength "
            f"{short_number(sum(u.strength for u in units))}"
        )
    known: dict[str, str] = {}
    for view in seen:
        for line, status in visible_red_lines(spec, view.state, view.actor):
            known.setdefault(line.id, f"- red line {line.name}: {status.status}")
    lines += list(known.values())
    return "\n".join(lines) + "\n"


def _failures(actor: str, events: Iterable[Event]) -> dict[str, str]:
    """Why each of ``actor``'s orders that did not happen did not: refused when given,
    an action voided when its turn came, a move that bounced."""
    failed: dict[str, str] = {}
    for event in events:
        if isinstance(event, OrderRejected) and event.actor == actor:
            failed[event.order] = f"refused: {event.reason}"
        elif isinstance(event, ActionVoided) and event.actor == actor:
            order = TakeAction(actor, event.action, event.target).text()
            failed[order] = f"void: {event.reason}"
        elif isinstance(event, MoveBounced) and event.owner == actor:
            failed[f"move {event.unit} {event.destination}"] = f"bounced: {event.reason}"
    return failed


def _news_before(replay: Replay, team: Team, turn: int) -> list[str]:
    """What the white cell did between the last turn and this one, as the team saw it."""
    saved = replay.saved
    controls = saved.opening_events if turn == 1 else saved.turn(turn - 1).control_events
    start = replay.state_at(turn)
    news: list[str] = []
    for actor in team.actors:
        for event in observe(replay.spec, start, actor, controls).events:
            text = f"news: {event.text}" if isinstance(event, MessageSent) else event.describe()
            if text not in news:
                news.append(text)
    return news
