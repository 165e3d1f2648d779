"""Red lines: declared, crossed, then enforced or failed, with consequences in both theaters.

A red line is *armed* from the start or by a ``declare_red_line`` effect.  While armed its
``crossed_when`` condition is checked in every ``triggers`` phase (with ``$self`` the
declaring actor, ``$target`` the actor it is drawn against and ``$theater`` its theater);
when it holds the line is *crossed*.  The declaring actor then has ``window`` turns: taking
any of the ``response`` actions after the crossing *enforces* it, and when the window
closes at the end of turn ``crossed + window`` without one it has *failed*.  An armed line
lapses (*expired*) after ``expires_after`` turns, and can be withdrawn (*retired*).

Enforcing or failing moves credibility (fully in the red line's theater, partly in the
others) and the assurance of every other actor on the declaring side, weighted by that
actor's threat perception of the violator; ambiguous red lines move everything less.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.board import Board
from engine.core.compiled import Context, Predicate, compile_condition
from engine.core.events import ActionTaken, RedLineChanged
from engine.core.spec import GameSpec, RedLineSpec


@dataclass(frozen=True, slots=True)
class CompiledRedLine:
    spec: RedLineSpec
    crossed_when: Predicate
    context: Context


def compile_red_lines(spec: GameSpec) -> tuple[CompiledRedLine, ...]:
    return tuple(
        CompiledRedLine(
            r,
            compile_condition(spec, r.crossed_when),
            Context(
                actor=r.declared_by, target=r.against, theater=r.theater, cause=f"red_line:{r.id}"
            ),
        )
        for r in spec.red_lines
    )


def _responded(board: Board, red_line: RedLineSpec) -> bool:
    """Whether the declaring actor took a response action after the line was crossed."""
    status = board.red_line(red_line.id)
    events = board.events
    start = 0
    if status.crossed_turn == board.turn:
        for index, event in enumerate(events):
            if (
                isinstance(event, RedLineChanged)
                and event.red_line == red_line.id
                and event.status == "crossed"
            ):
                start = index + 1
    return any(
        isinstance(event, ActionTaken)
        and event.actor == red_line.declared_by
        and event.action in red_line.response
        for event in events[start:]
    )


def _consequences(board: Board, red_line: RedLineSpec, enforced: bool) -> None:
    spec = board.spec
    rules = spec.red_line_consequences
    factor = rules.ambiguous_factor if red_line.clarity == "ambiguous" else 1.0
    cause = f"red_line:{red_line.id}:{'enforced' if enforced else 'failed'}"
    credibility = rules.enforced_credibility if enforced else rules.failed_credibility
    track = spec.track_by_id.get(rules.credibility_track)
    if track is not None and credibility:
        if track.scope == "theater":
            for theater in spec.theaters:
                weight = 1.0 if theater.id == red_line.theater else rules.other_theater_weight
                board.adjust_track(track.id, theater.id, credibility * factor * weight, cause)
        else:
            scope = red_line.declared_by if track.scope == "actor" else ""
            board.adjust_track(track.id, scope, credibility * factor, cause)
    assurance = rules.enforced_assurance if enforced else rules.failed_assurance
    if rules.assurance_track and assurance:
        side = spec.actor_by_id[red_line.declared_by].side
        for actor in spec.actors:
            if actor.side != side or actor.id == red_line.declared_by:
                continue
            weight = actor.threat_perception.get(red_line.against, 0.0)
            if weight:
                board.adjust_track(
                    rules.assurance_track, actor.id, assurance * factor * weight, cause
                )


def _settle(board: Board, red_line: RedLineSpec, at_turn_end: bool) -> None:
    status = board.red_line(red_line.id)
    if status.status != "crossed":
        return
    if _responded(board, red_line):
        board.set_red_line(red_line.id, "enforced", red_line.declared_by, f"red_line:{red_line.id}")
        _consequences(board, red_line, enforced=True)
    elif at_turn_end and board.turn >= status.crossed_turn + red_line.window:
        board.set_red_line(red_line.id, "failed", red_line.declared_by, f"red_line:{red_line.id}")
        _consequences(board, red_line, enforced=False)


def check_red_lines(red_lines: tuple[CompiledRedLine, ...], board: Board) -> None:
    """In a triggers phase: lapse, cross and enforce red lines as their conditions say."""
    for line in red_lines:
        spec = line.spec
        status = board.red_line(spec.id)
        if status.status == "armed":
            if spec.expires_after and board.turn >= status.since + spec.expires_after:
                board.set_red_line(spec.id, "expired", spec.declared_by, line.context.cause)
                continue
            if line.crossed_when(board, line.context):
                board.set_red_line(spec.id, "crossed", spec.against, line.context.cause)
        _settle(board, spec, at_turn_end=False)


def close_red_lines(red_lines: tuple[CompiledRedLine, ...], board: Board) -> None:
    """At the end of a turn: enforce on a late response, or fail when the window has closed."""
    for line in red_lines:
        _settle(board, line.spec, at_turn_end=True)
