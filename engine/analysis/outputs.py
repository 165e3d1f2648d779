"""The files an experiment leaves: ``games.csv``, ``summary.json`` and the plots.

``games.csv`` has one row per game, so that any figure of the summary can be checked, a
game picked out and replayed (``redline run FILE --seed SEED``), or the data taken into
another tool.  The plots are drawn with matplotlib's object interface on an Agg canvas, at
a fixed size and resolution and without the "Software" stamp or any date, so that the same
experiment gives the same bytes (as the report's charts do).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from engine.analysis.batch import GameResult
from engine.analysis.summary import Summary, Trajectory
from engine.analysis.variants import Variant
from engine.files import atomic_write_bytes, atomic_write_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

GAMES_CSV = "games.csv"
SUMMARY_JSON = "summary.json"
DPI = 100
COLOURS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
"""One colour per variant, in run order (matplotlib's ten), repeated past ten."""
LINE_STYLES = ("-", "--", ":", "-.")


def csv_columns(variants: Sequence[Variant]) -> list[str]:
    """``variant, scenario_file, seed``, every outcome measure of any variant (the first
    variant's first), then ``red_line:ID`` with each red line's final status."""
    outcomes: dict[str, None] = {}
    red_lines: dict[str, None] = {}
    for variant in variants:
        outcomes.update((o.id, None) for o in variant.spec.outcomes)
        red_lines.update((r.id, None) for r in variant.spec.red_lines)
    return ["variant", "scenario_file", "seed", *outcomes, *(f"red_line:{r}" for r in red_lines)]


def games_csv(variants: Sequence[Variant], results: Sequence[GameResult]) -> str:
    """The text of ``games.csv``: a row per game, by variant and seed.  Numbers are
    written in full (Python's shortest exact form), so a row can be compared with a replay
    of its game to the last digit; a measure or red line a variant lacks is left empty."""
    columns = csv_columns(variants)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for result in sorted(results, key=lambda r: (r.variant, r.seed)):
        variant = variants[result.variant]
        spec = variant.spec
        row: dict[str, str] = {
            "variant": variant.label,
            "scenario_file": variant.file,
            "seed": str(result.seed),
        }
        row.update(
            (o.id, repr(value)) for o, value in zip(spec.outcomes, result.outcomes, strict=True)
        )
        row.update(
            (f"red_line:{r.id}", status)
            for r, status in zip(spec.red_lines, result.final_red_lines, strict=True)
        )
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue()


def summary_json(summary: Summary, files: Sequence[str]) -> str:
    """The text of ``summary.json``."""
    return json.dumps(summary.to_json(files), indent=2, ensure_ascii=False) + "\n"


def _figure(width: float, height: float) -> tuple[Figure, io.BytesIO]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, io.BytesIO()


def _save(figure: Figure, buffer: io.BytesIO, path: Path) -> None:
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    atomic_write_bytes(path, buffer.getvalue())


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "measure"


def draw_outcome(summary: Summary, results: Sequence[GameResult], outcome: str, path: Path) -> None:
    """One outcome measure: a box plot of its values per variant, with each variant's mean
    and 95% confidence interval drawn over it."""
    stats = [s for s in summary.outcomes if s.outcome == outcome]
    labels = [v.label for v in summary.variants]
    index_of = {label: i for i, label in enumerate(labels)}
    figure, buffer = _figure(max(6.0, 1.2 * len(stats) + 3.0), 4.5)
    axes: Axes = figure.add_subplot()
    data: list[list[float]] = []
    positions: list[int] = []
    names: list[str] = []
    for stat in stats:
        variant = index_of[stat.variant]
        slot = _outcome_slot(summary, variant, outcome)
        data.append([r.outcomes[slot] for r in results if r.variant == variant])
        positions.append(len(positions) + 1)
        names.append(stat.variant)
    axes.boxplot(data, positions=positions, widths=0.5, showfliers=True)
    for position, stat in zip(positions, stats, strict=True):
        colour = COLOURS[index_of[stat.variant] % len(COLOURS)]
        axes.errorbar(
            [position],
            [stat.estimate.mean],
            yerr=[[stat.estimate.half_width], [stat.estimate.half_width]],
            fmt="D",
            color=colour,
            capsize=6,
            markersize=5,
        )
    axes.set_xticks(positions, names, rotation=20 if len(names) > 3 else 0, ha="right")
    axes.set_title(stats[0].name if stats else outcome)
    axes.set_ylabel(outcome)
    axes.grid(True, axis="y", color="#dddddd", linewidth=0.6)
    axes.set_xlabel(f"{summary.games} games per variant; diamonds: mean with 95% CI")
    _save(figure, buffer, path)


def _outcome_slot(summary: Summary, variant: int, outcome: str) -> int:
    """Where ``outcome`` sits in a variant's outcome tuple (its spec's order, which is the
    order the summary lists that variant's measures in)."""
    label = summary.variants[variant].label
    return [s.outcome for s in summary.outcomes if s.variant == label].index(outcome)


def draw_trajectories(summary: Summary, kind: str, path: Path) -> bool:
    """The mean of a track per turn, one panel per theater (or scope), one line per
    variant; ``False`` (and nothing written) when no variant follows that track."""
    lines = [t for t in summary.trajectories if t.kind == kind]
    if not lines:
        return False
    panels: dict[str, list[Trajectory]] = {}
    for line in lines:
        panels.setdefault(line.label, []).append(line)
    labels = [v.label for v in summary.variants]
    figure, buffer = _figure(5.5 * len(panels) + 1.0, 4.5)
    axes_row = figure.subplots(1, len(panels), squeeze=False)[0]
    rungs = [name for _, name in summary.rungs]
    for axes, (panel, members) in zip(axes_row, panels.items(), strict=True):
        for member in members:
            index = labels.index(member.variant)
            axes.plot(
                range(len(member.means)),
                member.means,
                label=member.variant,
                color=COLOURS[index % len(COLOURS)],
                linestyle=LINE_STYLES[index % len(LINE_STYLES)],
                linewidth=1.8,
            )
        if kind == "escalation" and rungs:
            axes.set_yticks(range(len(rungs)), rungs, fontsize="small")
            axes.set_ylim(-0.2, len(rungs) - 0.8)
        axes.set_title(panel)
        axes.set_xlabel("Turn (0 = the start)")
        axes.grid(True, color="#dddddd", linewidth=0.6)
        axes.legend(loc="best", fontsize="small")
    title = "Mean US credibility" if kind == "credibility" else "Mean escalation rung"
    figure.suptitle(f"{title} over {summary.games} games per variant")
    _save(figure, buffer, path)
    return True


def write_outputs(
    folder: Path,
    variants: Sequence[Variant],
    results: Sequence[GameResult],
    summary: Summary,
    plots: bool = True,
) -> list[Path]:
    """Write every output into ``folder`` (which must exist); the files written, the
    summary last so that it lists the others.  ``plots=False`` leaves out the PNG files
    (a few seconds for the default scenario's 18 measures)."""
    written: list[Path] = []
    target = folder / GAMES_CSV
    atomic_write_text(target, games_csv(variants, results))
    written.append(target)
    if plots:
        written.extend(draw_plots(folder, results, summary))
    target = folder / SUMMARY_JSON
    names = [p.name for p in written]
    atomic_write_text(target, summary_json(summary, [*names, SUMMARY_JSON]))
    written.append(target)
    return written


def draw_plots(folder: Path, results: Sequence[GameResult], summary: Summary) -> list[Path]:
    """``outcome-ID.png`` for each outcome measure, ``trajectory-credibility.png`` and
    ``trajectory-escalation.png``; the files written."""
    written: list[Path] = []
    seen: set[str] = set()
    for stat in summary.outcomes:
        if stat.outcome in seen:
            continue
        seen.add(stat.outcome)
        target = folder / f"outcome-{_slug(stat.outcome)}.png"
        draw_outcome(summary, results, stat.outcome, target)
        written.append(target)
    for kind in ("credibility", "escalation"):
        target = folder / f"trajectory-{kind}.png"
        if draw_trajectories(summary, kind, target):
            written.append(target)
    return written
