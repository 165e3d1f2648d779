"""Cross-theater linkage: what one theater's commitments and crises open in the other.

With a :class:`~engine.core.spec.LinkageSpec`, the engine keeps an *opportunity* track per
theater that adversary rules can read: it rises as the watched side's strength is drawn
away from a theater (to the other theater or to off-map boxes such as the Middle East) and
as the other theaters climb their escalation ladders.
"""

from __future__ import annotations

from engine.core.board import Board


def update_linkage(board: Board, cause: str = "linkage") -> None:
    """Recompute every theater's opportunity track from forces and escalation."""
    spec = board.spec
    linkage = spec.linkage
    if linkage is None:
        return
    actors = spec.actor_by_id
    areas = spec.area_by_id
    total = 0.0
    counted: dict[str, float] = {t.id: 0.0 for t in spec.theaters}
    for unit in board.units.values():
        owner = actors[unit.owner]
        if owner.side != linkage.side:
            continue
        total += unit.strength
        area = areas[unit.area]
        for theater_id in counted:
            if not area.offmap and area.theater == theater_id:
                counted[theater_id] += unit.strength
            elif owner.may_enter(theater_id, offmap=False):
                counted[theater_id] += unit.strength * linkage.reserve_weight
    ladder = spec.ladder
    for theater in spec.theaters:
        share = counted[theater.id] / total if total else 0.0
        others = [t.id for t in spec.theaters if t.id != theater.id]
        crisis = 0.0
        if ladder is not None and ladder.top and others:
            crisis = sum(board.rung(t) for t in others) / (len(others) * ladder.top)
        value = (
            linkage.base
            + linkage.absence_weight * (1.0 - share)
            + linkage.distraction_weight * crisis
        )
        board.set_track(linkage.track, theater.id, value, cause)
