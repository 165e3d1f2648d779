"""Map snapshots at the turns a debrief comes back to, drawn by the replay view.

A few maps say more than a table of moves, but a map for every turn drowns the reader,
so the report picks at most :data:`MOST` turns, always the same ones for the same game:
the first and the last, then bookmarked turns, then turns where a red line was crossed,
then turns where a theater's escalation rung changed.  Each is the replay screen of that
turn (:func:`~engine.view.launch.screenshot_replay`); a team's maps are drawn as its
first actor saw the game, so they show no more than that actor saw.

The view (and pygame with it) is imported only when a snapshot is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.core.events import EscalationChanged, RedLineChanged
from engine.report.document import Block, Paragraph, Section
from engine.report.document import Figure as ReportFigure
from engine.report.sight import Sight

SNAPSHOTS = "Map snapshots"
MOST = 6


@dataclass(frozen=True)
class KeyTurn:
    """A turn worth a map, and why."""

    turn: int
    reasons: tuple[str, ...]


def key_turns(sight: Sight, most: int = MOST) -> list[KeyTurn]:
    """At most ``most`` turns, in order, chosen by priority as the module says."""
    last = sight.last_turn
    if last == 0:
        return []
    spec = sight.spec
    reasons: dict[int, list[str]] = {}
    bookmarked: list[int] = []
    crossed: list[int] = []
    escalated: list[int] = []

    def note(turn: int, why: str, kind: list[int] | None = None) -> None:
        if not 1 <= turn <= last:
            return
        found = reasons.setdefault(turn, [])
        if why not in found:
            found.append(why)
        if kind is not None and turn not in kind:
            kind.append(turn)

    note(1, "the first turn")
    note(last, "the last turn")
    for mark in sorted(sight.replay.saved.bookmarks, key=lambda n: n.turn):
        note(mark.turn, f"bookmark: {' '.join(mark.text.split())}", bookmarked)
    for seen in sight.turns():
        for event in seen.events:
            if isinstance(event, RedLineChanged) and event.status == "crossed":
                line = spec.red_line_by_id.get(event.red_line)
                note(seen.turn, f"{line.name if line else event.red_line} crossed", crossed)
            elif isinstance(event, EscalationChanged):
                theater = next((t.name for t in spec.theaters if t.id == event.theater), "")
                note(seen.turn, f"escalation in {theater or event.theater}", escalated)
    chosen: list[int] = []
    for turn in [1, last, *bookmarked, *crossed, *escalated]:
        if turn not in chosen and len(chosen) < most:
            chosen.append(turn)
    return [KeyTurn(turn, tuple(reasons[turn])) for turn in sorted(chosen)]


def snapshots_section(sight: Sight, figures: Path, prefix: str) -> tuple[Section, list[Path]]:
    """Draw the key turns' maps into ``figures``; the section and the files written."""
    from engine.view.launch import screenshot_replay, use_dummy_display

    use_dummy_display()
    side = sight.viewers[0] if sight.viewers else ""
    seen_as = f" as {sight.spec.actor_by_id[side].name} saw it" if side else ""
    blocks: list[Block] = []
    written: list[Path] = []
    turns = key_turns(sight)
    if not turns:
        path = figures / "map-start.png"
        screenshot_replay(sight.replay, path, side=side, turn=1)
        written.append(path)
        blocks.append(ReportFigure(f"{prefix}/{path.name}", f"The start{seen_as}"))
    for key in turns:
        path = figures / f"map-turn-{key.turn:02d}.png"
        screenshot_replay(sight.replay, path, side=side, turn=key.turn)
        written.append(path)
        date = sight.replay.saved.turn(key.turn).date
        caption = f"End of turn {key.turn} ({date}){seen_as}: {'; '.join(key.reasons)}"
        blocks.append(ReportFigure(f"{prefix}/{path.name}", caption))
    if side and len(sight.viewers) > 1:
        blocks.append(
            Paragraph(
                f"The maps show what {sight.spec.actor_by_id[side].name} saw; its "
                "team-mates may have seen more."
            )
        )
    return Section(SNAPSHOTS, tuple(blocks)), written
