"""The red lines of the game: what each committed its declarer to, and what became of it.

The argument the default scenario tests turns on red lines (crossed and not enforced, they
erode credibility in both theaters), so the debrief tells each one's story in full: who
drew it against whom, its words, and every step of its life with the turn and who caused
it.  A team's report holds only the lines its actors knew (public ones and their own) and
only the steps they saw.
"""

from __future__ import annotations

from engine.core.events import RedLineChanged
from engine.core.spec import GameSpec, RedLineSpec
from engine.report.document import Block, Bullets, Item, Paragraph, Section, Table
from engine.report.sight import Sight
from engine.report.timeline import one_line

RED_LINES = "Red lines"

_STATUS_WORDS = {"inactive": "not drawn"}


def _actor(spec: GameSpec, actor: str) -> str:
    known = spec.actor_by_id.get(actor)
    return f"{known.name} ({actor})" if known else actor


def _steps(sight: Sight, line: RedLineSpec) -> list[Item]:
    spec = sight.spec
    steps = []
    for number in range(sight.last_turn + 1):
        for event in sight.turn(number).events:
            if isinstance(event, RedLineChanged) and event.red_line == line.id:
                by = ""
                if event.status in ("crossed", "enforced"):
                    by = f" by {_actor(spec, event.actor)}"
                when = f"Turn {event.turn}"
                if event.phase == "control":
                    when = f"Before turn {event.turn} (white cell)"
                steps.append(Item(f"{when}: {event.status}{by}", event.status))
    return steps


def _line(sight: Sight, line: RedLineSpec) -> Section:
    spec = sight.spec
    index = spec.red_line_index[line.id]
    start = sight.state(0).red_lines[index].status
    end = sight.state(sight.last_turn).red_lines[index].status
    theater = next((t.name for t in spec.theaters if t.id == line.theater), line.theater)
    facts = Table(
        ("Item", "Value"),
        (
            ("Id", line.id),
            ("Declared by", _actor(spec, line.declared_by)),
            ("Against", _actor(spec, line.against)),
            ("Theater", theater),
            ("Clarity", line.clarity),
            ("Visibility", line.visibility),
            ("Committed response", ", ".join(sorted(line.response)) or "none"),
            ("Window", f"{line.window} turn{'' if line.window == 1 else 's'}"),
            ("At the start", _STATUS_WORDS.get(start, start)),
            ("At the end", _STATUS_WORDS.get(end, end)),
        ),
    )
    blocks: list[Block] = [facts]
    written = sight.replay.game.scenario.red_lines.get(line.id)
    if written is not None and written.quote:
        blocks.append(Paragraph(f"“{one_line(written.quote)}”"))
    if written is not None and written.description:
        blocks.append(Paragraph(one_line(written.description)))
    steps = _steps(sight, line)
    blocks.append(Bullets(tuple(steps)) if steps else Paragraph("No step during the game."))
    return Section(line.name, tuple(blocks), level=3)


def red_lines_section(sight: Sight) -> Section:
    """Each red line the readers may know of, with every status step and its turn."""
    lines = sight.red_lines()
    if not lines:
        nothing = Paragraph("No red line is known to the readers of this report.")
        return Section(RED_LINES, (nothing,))
    return Section(RED_LINES, tuple(_line(sight, line) for line in lines))
