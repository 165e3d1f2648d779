"""The after-action report of a saved game: an HTML page and a Markdown file, with figures.

A facilitated exercise ends with a debrief, and a debrief needs the game on paper: the
summary and outcome measures, the timeline, every order, the story of each red line,
charts of credibility, assurance and escalation, the room's bookmarks and notes, and maps
of the turns that mattered.  :func:`build_report` writes all of it into one folder::

    OUT/index.html     the page (inline style, no script, nothing loaded from elsewhere)
    OUT/report.md      the same content as Markdown
    OUT/figures/*.png  charts and map snapshots, linked from both

The facilitator's report (no ``viewers``) shows everything.  A team's report (``viewers``
lists its actors) shows what those actors saw during play and nothing more: it is built
entirely through :class:`~engine.report.sight.Sight`, from the same observations the
players were given.  Bookmarks appear in every report; annotations, the white cell's own
notes, only in the facilitator's.

The same save gives the same files, byte for byte (no clock, no random, sorted choices),
so reports can be compared and kept under version control.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from engine.files import atomic_write_text
from engine.report.charts import CHARTS, charts_section
from engine.report.document import Document
from engine.report.errors import ReportError
from engine.report.redlines import RED_LINES, red_lines_section
from engine.report.sight import Sight
from engine.report.snapshots import SNAPSHOTS, snapshots_section
from engine.report.summary import SUMMARY, summary_section, teams_of, viewers_named
from engine.report.timeline import (
    NOTES,
    ORDERS,
    TIMELINE,
    notes_section,
    orders_section,
    timeline_section,
)
from engine.report.to_html import render_html
from engine.report.to_markdown import render_markdown
from engine.saves.replay import Replay

SECTIONS = (SUMMARY, TIMELINE, ORDERS, RED_LINES, CHARTS, NOTES, SNAPSHOTS)
"""The report's section headings, in order: stable, for readers and tests to find them."""

STALE_PATTERNS = (
    "map-turn-*.png",
    "map-start.png",
    "credibility.png",
    "assurance.png",
    "escalation.png",
)
"""The names of the figures a report draws, which a later report into the folder replaces."""
HTML_NAME = "index.html"
MARKDOWN_NAME = "report.md"
FIGURES = "figures"

__all__ = [
    "FIGURES",
    "HTML_NAME",
    "MARKDOWN_NAME",
    "SECTIONS",
    "ReportError",
    "ReportFiles",
    "build_report",
    "readers_of",
    "remove_stale_figures",
    "viewers_named",
]


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`build_report` wrote."""

    folder: Path
    html: Path
    markdown: Path
    figures: tuple[Path, ...]
    """Every figure written, charts first, then map snapshots in turn order."""


def prepare_folder(out_dir: Path) -> Path:
    """``out_dir`` ready to write into: made when its parent exists, refused otherwise
    (a mistyped path should be an error, not a tree of new folders)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError(f"cannot write the report to {out_dir}: it is a file, not a folder")
    if not out_dir.exists():
        parent = out_dir.absolute().parent
        if not parent.is_dir():
            raise ReportError(
                f"cannot write the report to {out_dir}: the folder {parent} does not exist "
                "(create it first, or choose another output folder)"
            )
        try:
            out_dir.mkdir()
        except OSError as exc:
            raise ReportError(f"cannot create the folder {out_dir}: {exc.strerror}") from None
    figures = out_dir / FIGURES
    if figures.exists() and not figures.is_dir():
        raise ReportError(f"cannot write the report's figures to {figures}: it is a file")
    figures.mkdir(exist_ok=True)
    return out_dir


def readers_of(sight: Sight) -> str:
    """Whose report this is, in words: a team's name when the viewers are exactly a team."""
    if sight.is_full:
        return "the facilitator (everything, including what each side did not see)"
    for team in teams_of(sight.replay.saved):
        if set(team.actors) == set(sight.viewers):
            return f"{team.name} ({', '.join(sight.viewers)}): only what it saw"
    names = ", ".join(f"{sight.spec.actor_by_id[v].name} ({v})" for v in sight.viewers)
    return f"{names}: only what {'it' if len(sight.viewers) == 1 else 'they'} saw"


def build_report(
    replay: Replay, out_dir: Path, viewers: Sequence[str] = (), title: str = ""
) -> ReportFiles:
    """Write the after-action report of ``replay`` into ``out_dir``.

    ``viewers`` empty gives the facilitator's full report; a list of actor ids gives a
    team's report, with only what those actors saw.  ``title`` replaces the default one.
    Raises :class:`ReportError` for an actor the game lacks or a folder that cannot be
    made, before anything is written; a save that no longer replays raises
    :class:`~engine.errors.ReplayMismatch`.
    """
    sight = Sight(replay, viewers)
    folder = prepare_folder(out_dir)
    figures = folder / FIGURES
    charts, chart_files = charts_section(sight, figures, FIGURES)
    snapshots, map_files = snapshots_section(sight, figures, FIGURES)
    readers = readers_of(sight)
    document = Document(
        title or f"After-action report: {sight.spec.scenario_name}",
        f"Report for {readers}.",
        (
            summary_section(sight, readers),
            timeline_section(sight),
            orders_section(sight),
            red_lines_section(sight),
            charts,
            notes_section(sight),
            snapshots,
        ),
    )
    html_path, markdown_path = folder / HTML_NAME, folder / MARKDOWN_NAME
    atomic_write_text(html_path, render_html(document))
    atomic_write_text(markdown_path, render_markdown(document))
    written = (*chart_files, *map_files)
    remove_stale_figures(figures, written)
    return ReportFiles(folder, html_path, markdown_path, written)


def remove_stale_figures(figures: Path, written: Sequence[Path]) -> None:
    """Delete the figures an earlier report left in the folder and this one did not draw
    (a map of a turn no longer chosen, the assurance chart a team may not see), so that
    the folder holds this report and nothing from another; files of other names stay."""
    kept = {path.name for path in written}
    for pattern in STALE_PATTERNS:
        for path in sorted(figures.glob(pattern)):
            if path.name not in kept:
                path.unlink()
