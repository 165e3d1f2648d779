"""The report's charts: US credibility, allies' assurance and escalation, turn by turn.

The claims the default scenario tests are about how these move over a game (credibility
lost in both theaters, assurance that statements lift only briefly, a crisis in one
theater opening the other), so they are drawn as lines over the turns, with the ladder's
own names on the escalation axis and the declaring side's colour from the ruleset.

Figures are drawn with matplotlib's object interface on an Agg canvas (never ``pyplot``,
whose global state and backend choice belong to whoever else runs in the process), at a
fixed size and resolution and without the "Software" stamp, so that the same game gives
the same bytes.  A team's charts carry only the values its belief states held.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from engine.core.board import ESCALATION_TRACK
from engine.core.spec import defender_side
from engine.files import atomic_write_bytes
from engine.report.document import Block, Paragraph, Section
from engine.report.document import Figure as ReportFigure
from engine.report.sight import Sight

CHARTS = "Charts"
SIZE = (9.0, 4.5)
DPI = 100
LINE_STYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
THEATER_COLOURS = ("#3b3b3b", "#b8860b", "#6a3d9a", "#1b7837")
"""Escalation is no side's property, so its lines take neutral colours, one per theater."""


@dataclass(frozen=True)
class Series:
    """One line of a chart: a label and a value per turn (turn 0 is the start)."""

    label: str
    values: tuple[float, ...]
    colour: str


@dataclass(frozen=True)
class Chart:
    """A chart to draw into ``name`` (a file of the figures folder)."""

    name: str
    title: str
    series: tuple[Series, ...]
    bounds: tuple[float, float]
    rung_names: tuple[str, ...] = ()
    """For the escalation chart: the ladder's names, one per whole number on the axis."""


def shade(colour: str, index: int, count: int) -> str:
    """``colour`` made darker or lighter by position, so that several lines of one side
    keep the side's hue and can still be told apart."""
    if count <= 1:
        return to_hex(colour)
    red, green, blue = to_rgb(colour)
    share = index / (count - 1) * 1.2 - 0.6  # from darker (-0.6) to lighter (+0.6)
    if share < 0:
        return to_hex((red * (1 + share), green * (1 + share), blue * (1 + share)))
    return to_hex((red + (1 - red) * share, green + (1 - green) * share, blue + (1 - blue) * share))


def _series(sight: Sight, track: str, scope: str) -> tuple[float, ...] | None:
    values = [sight.track_value(turn, track, scope) for turn in range(sight.last_turn + 1)]
    if any(value is None for value in values):
        return None
    return tuple(v for v in values if v is not None)


def credibility_chart(sight: Sight) -> Chart | None:
    """The credibility track of the side that declares red lines, per theater (or per
    actor, or once, as the ruleset scopes it)."""
    spec = sight.spec
    track_id = spec.red_line_consequences.credibility_track or "credibility"
    track = spec.track_by_id.get(track_id)
    if track is None:
        return None
    side = defender_side(spec)
    if track.scope == "theater":
        scopes = [(t.id, t.name) for t in spec.theaters]
    elif track.scope == "actor":
        scopes = [(a.id, a.name) for a in spec.actors if a.side == side]
    else:
        scopes = [("", track.name)]
    colour = spec.side_by_id[side].color
    series = []
    for scope, name in scopes:
        values = _series(sight, track_id, scope)
        if values is not None:
            series.append(Series(name, values, colour))
    title = f"{track.name} per theater" if track.scope == "theater" else track.name
    return Chart("credibility.png", title, tuple(series), (track.minimum, track.maximum))


def assurance_chart(sight: Sight) -> Chart | None:
    """The assurance of every ally of the declaring side's leader, in the side's colour."""
    spec = sight.spec
    track_id = spec.red_line_consequences.assurance_track or "assurance"
    track = spec.track_by_id.get(track_id)
    if track is None or track.scope != "actor":
        return None
    side = defender_side(spec)
    members = [a for a in spec.actors if a.side == side]
    allies = members[1:]
    colour = spec.side_by_id[side].color
    series = []
    for index, ally in enumerate(allies):
        values = _series(sight, track_id, ally.id)
        if values is not None:
            series.append(Series(ally.name, values, shade(colour, index, len(allies))))
    return Chart(
        "assurance.png", f"{track.name} of each ally", tuple(series), (track.minimum, track.maximum)
    )


def escalation_chart(sight: Sight) -> Chart | None:
    """The escalation rung of each theater, on an axis that names the ladder's rungs."""
    spec = sight.spec
    ladder = spec.ladder
    if ladder is None or ESCALATION_TRACK not in spec.track_by_id:
        return None
    series = []
    for index, theater in enumerate(spec.theaters):
        values = _series(sight, ESCALATION_TRACK, theater.id)
        if values is not None:
            colour = THEATER_COLOURS[index % len(THEATER_COLOURS)]
            series.append(Series(theater.name, values, colour))
    return Chart(
        "escalation.png",
        "Escalation rung per theater",
        tuple(series),
        (0.0, float(ladder.top)),
        rung_names=ladder.names,
    )


def draw(chart: Chart, path: Path) -> None:
    """Draw ``chart`` into the PNG file ``path``, the same bytes for the same chart."""
    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes: Axes = figure.add_subplot()
    for index, series in enumerate(chart.series):
        axes.plot(
            range(len(series.values)),
            series.values,
            label=series.label,
            color=series.colour,
            linestyle=LINE_STYLES[index % len(LINE_STYLES)],
            marker=MARKERS[index % len(MARKERS)],
            markersize=4,
            linewidth=1.8,
            drawstyle="steps-post" if chart.rung_names else "default",
        )
    low, high = chart.bounds
    margin = (high - low) * 0.04 or 0.5
    axes.set_ylim(low - margin, high + margin)
    if chart.rung_names:
        axes.set_yticks(range(len(chart.rung_names)), list(chart.rung_names))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("Turn (0 = the start)")
    axes.set_title(chart.title)
    axes.grid(True, color="#dddddd", linewidth=0.6)
    axes.legend(loc="best", fontsize="small", ncols=2 if len(chart.series) > 4 else 1)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    atomic_write_bytes(path, buffer.getvalue())


def charts_section(sight: Sight, figures: Path, prefix: str) -> tuple[Section, list[Path]]:
    """Draw every chart the readers may see into ``figures``; the section that shows them
    (``prefix`` is the figures folder as the report links it) and the files written."""
    blocks: list[Block] = []
    written: list[Path] = []
    makers: Sequence[tuple[str, Chart | None]] = (
        ("credibility", credibility_chart(sight)),
        ("allies' assurance", assurance_chart(sight)),
        ("escalation", escalation_chart(sight)),
    )
    for what, chart in makers:
        if chart is None:
            continue
        if not chart.series:
            blocks.append(Paragraph(f"No {what} track was visible to this team: no chart."))
            continue
        path = figures / chart.name
        draw(chart, path)
        written.append(path)
        blocks.append(ReportFigure(f"{prefix}/{chart.name}", chart.title))
    if not blocks:
        blocks.append(Paragraph("The ruleset has none of the tracks these charts draw."))
    return Section(CHARTS, tuple(blocks)), written
