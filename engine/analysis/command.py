"""``redline analyze``: a policy experiment over many seeded games, with its statistics.

The scenario and each variant (a ``--variant`` file, or a point of a ``--sweep``) are
played with the same seeds and the computer players on every side, so that differences
come from the rules and not from luck.  Everything is loaded and checked before the first
game; the games run in this process, in local worker processes or on a Dask cluster, and
the results are the same whichever runs them.  The command prints the figures an analyst
reads first and writes them all, with one row per game and the plots, into ``--out``.

``engine.cli`` adds this command with :func:`register`; the shared helpers (consoles,
error reporting, bot seating) are taken from it when the command runs, since it imports
this module to register the command.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from engine.cli_options import BOT_OPTION, DIFFICULTY_OPTION

if TYPE_CHECKING:
    from distributed import Client

    from engine.analysis.batch import GameResult
    from engine.analysis.summary import Summary
    from engine.analysis.variants import Variant

DEFAULT_OUT = Path("analysis")
"""Where the files go when no --out is given: a folder under the working folder."""
TOP_TRIGGERS = 10
"""Triggers shown in the printed table; summary.json has every one."""
MAX_SEED = 2**64 - 1


def analyze(
    scenario: Annotated[
        Path,
        typer.Argument(
            help="Scenario YAML file: the first variant, which the others are compared with."
        ),
    ],
    variant: Annotated[
        list[Path] | None,
        typer.Option(
            "--variant",
            help="Another scenario file to play with the same seeds (usually one that 'extends:' "
            "the scenario); repeat for more.",
        ),
    ] = None,
    games: Annotated[int, typer.Option(help="Seeded games per variant.")] = 100,
    seed: Annotated[
        int, typer.Option(help="Seed of the first game: games use seeds S to S+N-1.", min=0)
    ] = 1,
    workers: Annotated[
        int | None,
        typer.Option(help="Local worker processes (default 1: play in this process)."),
    ] = None,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="ADDRESS",
            help="Play on the Dask cluster whose scheduler is at ADDRESS (e.g. "
            "tcp://10.0.0.5:8786); its workers need Redline installed.",
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for games.csv, summary.json and the plots (default: analysis/, "
            "created if needed).",
        ),
    ] = None,
    sweep: Annotated[
        list[str] | None,
        typer.Option(
            "--sweep",
            help="PATH=V1,V2,... or PATH=START:STOP:STEP (STOP included): one variant per value "
            "of a key path into the scenario, e.g. tracks.credibility.europe=40,50,60.",
        ),
    ] = None,
    bot: Annotated[list[str] | None, BOT_OPTION] = None,
    difficulty: Annotated[str | None, DIFFICULTY_OPTION] = None,
    plots: Annotated[
        bool, typer.Option("--plots/--no-plots", help="Draw the PNG plots (a few seconds).")
    ] = True,
) -> None:
    """Play N seeded games of a scenario and its variants, every side under its computer
    player, and compare them: each outcome measure's mean with its 95% confidence interval
    and its difference from the scenario (paired by seed), how often each red line was
    crossed, enforced or failed, which triggers fired, and how high escalation went.
    Writes games.csv (a row per game, each replayable with 'redline run'), summary.json
    and plots into --out."""
    from engine.analysis.batch import BackendError, connect
    from engine.analysis.outputs import write_outputs
    from engine.analysis.summary import summarise
    from engine.analysis.variants import SweepError, VariantProblems, load_variants, parse_sweep

    base = _base()
    if games < 1:
        raise base._fail("--games must be at least 1")
    if workers is not None and workers < 1:
        raise base._fail("--workers must be at least 1")
    if workers is not None and dask is not None:
        raise base._fail(
            "--workers sets local processes and --dask a cluster: give one or the other"
        )
    if seed + games - 1 > MAX_SEED:
        raise base._fail(f"--seed {seed} with --games {games} goes past the last seed, 2**64-1")
    folder = out_dir or DEFAULT_OUT
    _check_folder(folder)
    try:
        sweeps = [parse_sweep(text) for text in sweep or ()]
    except SweepError as exc:
        raise base._fail(str(exc)) from None
    controllers = base.parse_bot_choices(bot or ())
    try:
        variants = load_variants(scenario, variant or (), sweeps, folder / "variants")
    except VariantProblems as exc:
        for _, diagnostics in exc.problems:
            base._print_diagnostics(diagnostics)
        names = ", ".join(what for what, _ in exc.problems)
        raise base._fail(f"cannot load {names}: no game was played") from None
    players = _seat_players(variants, bot or (), difficulty)
    client = None
    if dask is not None:
        try:
            client = connect(dask)
        except BackendError as exc:
            raise base._fail(str(exc)) from None
    try:
        _make_folder(folder, variants)
        seeds = range(seed, seed + games)
        if dask is not None:
            where = f"on the Dask cluster at {dask}"
        else:
            where = f"in {workers} worker processes" if (workers or 1) > 1 else "in this process"
        base.out.print(
            f"[bold]{escape(variants[0].spec.scenario_name)}[/bold]: {games} game"
            f"{'s' * (games != 1)} of each of {len(variants)} variant"
            f"{'s' * (len(variants) != 1)} (seeds {seed}-{seed + games - 1}), {escape(where)}",
            soft_wrap=True,
        )
        base.out.print(f"computer players: {players}", markup=False, soft_wrap=True)
        results = _play(variants, seeds, workers or 1, client, controllers, difficulty)
    finally:
        if client is not None:
            client.close()  # type: ignore[no-untyped-call]
    summary = summarise(variants, results, games, seed, controllers, difficulty)
    try:
        written = write_outputs(folder, variants, results, summary, plots)
    except OSError as exc:
        raise base._fail(f"cannot write into {folder}: {exc.strerror or exc}") from None
    print_summary(summary)
    example = summary.variants[0].replay.replace("SEED", str(seed))
    base.out.print(
        "Replay any game of games.csv with its scenario_file and seed (each variant's command "
        f"is in summary.json), e.g.: {example}",
        markup=False,
        soft_wrap=True,
    )
    drawn = sum(p.suffix == ".png" for p in written)
    plotted = f" and {drawn} plots in {folder}" if drawn else ""
    base.out.print(
        f"wrote {folder / 'games.csv'}, {folder / 'summary.json'}{plotted}",
        markup=False,
        soft_wrap=True,
    )


def _check_folder(folder: Path) -> None:
    """Refuse an output folder that is a file or whose parent does not exist, before
    anything is loaded or played."""
    if folder.exists() and not folder.is_dir():
        raise _base()._fail(f"--out {folder} is a file; give a folder")
    if not folder.exists() and not folder.parent.is_dir():
        raise _base()._fail(f"cannot create {folder}: the folder {folder.parent} does not exist")


def _make_folder(folder: Path, variants: Sequence[Variant]) -> None:
    """Create the output folder and write the sweep points' overlay files into it, so that
    every game is replayable from the moment it is played."""
    from engine.files import atomic_write_text

    try:
        folder.mkdir(exist_ok=True)
        if any(v.overlay for v in variants):
            (folder / "variants").mkdir(exist_ok=True)
        for point in variants:
            if point.overlay:
                atomic_write_text(Path(point.file), point.overlay)
    except OSError as exc:
        raise _base()._fail(f"cannot write into {folder}: {exc.strerror or exc}") from None


def _seat_players(variants: Sequence[Variant], bot: Sequence[str], difficulty: str | None) -> str:
    """Check --bot and --difficulty against every variant (as ``redline run`` would);
    who plays the first variant, in a few words."""
    from engine.core import Rules

    base = _base()
    seated = [base._bots(v.game, Rules(v.spec), bot, difficulty) for v in variants]
    return str(base._who_plays(seated[0]))


def _play(
    variants: Sequence[Variant],
    seeds: range,
    workers: int,
    client: Client | None,
    controllers: dict[str, str],
    difficulty: str | None,
) -> list[GameResult]:
    """Play every game under a progress bar (on the error console, gone when done)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from engine.analysis.batch import play_variants

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=_base().err,
        transient=True,
    ) as progress:
        task = progress.add_task("playing", total=len(seeds) * len(variants))
        return play_variants(
            [v.source for v in variants],
            seeds,
            workers,
            client,
            controllers,
            difficulty,
            lambda n: progress.advance(task, n),
        )


def _cell(mean: float, half: float) -> str:
    return f"{mean:.2f} ± {half:.2f}"


def print_summary(summary: Summary) -> None:
    """The tables: outcome measures, red lines, the triggers that fired most, peak
    escalation per theater."""
    out = _base().out
    out.print(_outcome_table(summary))
    if summary.red_lines:
        out.print(_red_line_table(summary))
    triggers = _trigger_table(summary)
    if triggers is not None:
        out.print(triggers)
    for table in _peak_tables(summary):
        out.print(table)


def _variant_table(summary: Summary, title: str, first: str, lines: bool = False) -> Table:
    """A table with a first column ``first`` and one column per variant."""
    table = Table(title=title, show_lines=lines)
    table.add_column(first)
    for info in summary.variants:
        table.add_column(escape(info.label), justify="right")
    return table


def _outcome_table(summary: Summary) -> Table:
    labels = [v.label for v in summary.variants]
    table = _variant_table(
        summary,
        f"Outcome measures: mean ± 95% CI over {summary.games} games; Δ: difference from "
        f"{escape(labels[0])}, paired by seed (* the interval excludes 0)",
        "measure",
        lines=len(labels) > 1,
    )
    cells: dict[str, dict[str, str]] = {}
    names: dict[str, str] = {}
    for stat in summary.outcomes:
        names.setdefault(stat.outcome, stat.name)
        cell = _cell(stat.estimate.mean, stat.estimate.half_width)
        if stat.difference is not None:
            diff = stat.difference
            marked = "*" if diff.low > 0 or diff.high < 0 else ""
            cell += f"\nΔ {diff.mean:+.2f} ± {diff.half_width:.2f}{marked}"
        cells.setdefault(stat.outcome, {})[stat.variant] = cell
    for outcome, row in cells.items():
        table.add_row(escape(names[outcome]), *(row.get(label, "-") for label in labels))
    return table


def _red_line_table(summary: Summary) -> Table:
    from engine.analysis.summary import REPORTED_STEPS

    labels = [v.label for v in summary.variants]
    table = _variant_table(
        summary,
        "Red lines: games in which each was crossed, enforced or failed",
        "red line",
        lines=True,
    )
    cells: dict[str, dict[str, str]] = {}
    names: dict[str, str] = {}
    for line in summary.red_lines:
        names.setdefault(line.red_line, line.name)
        cells.setdefault(line.red_line, {})[line.variant] = "\n".join(
            f"{status} {line.games_with(status)} ({line.games_with(status) / line.games:.0%})"
            for status in REPORTED_STEPS
        )
    for red_line, row in cells.items():
        table.add_row(escape(names[red_line]), *(row.get(label, "-") for label in labels))
    return table


def _trigger_table(summary: Summary) -> Table | None:
    from engine.analysis.summary import top_triggers

    shown = top_triggers(summary, TOP_TRIGGERS)
    if not shown:
        return None
    labels = [v.label for v in summary.variants]
    everything = len({t.trigger for t in summary.triggers})
    table = _variant_table(
        summary,
        f"Triggers that fired most ({len(shown)} of {everything}; all in summary.json): "
        "share of games · mean firings a game",
        "trigger",
    )
    fired = {(t.trigger, t.variant): t for t in summary.triggers}
    for trigger in shown:
        row = []
        for label in labels:
            stat = fired.get((trigger, label))
            row.append(f"{stat.share:.0%} · {stat.mean_firings:.2f}" if stat else "-")
        table.add_row(escape(trigger), *row)
    return table


def _peak_tables(summary: Summary) -> list[Table]:
    """One table per theater: the games that peaked at each rung reached in any variant."""
    theaters: dict[str, str] = {}
    for peak in summary.peaks:
        theaters.setdefault(peak.theater, peak.name)
    tables = []
    for theater, name in theaters.items():
        peaks = [p for p in summary.peaks if p.theater == theater]
        reached = [i for i in range(len(summary.rungs)) if any(p.counts[i] for p in peaks)]
        table = Table(title=f"Peak escalation in {escape(name)}: games per highest rung")
        table.add_column("variant")
        for index in reached:
            table.add_column(escape(summary.rungs[index][1]), justify="right")
        table.add_column("mean rung", justify="right")
        for peak in peaks:
            table.add_row(
                escape(peak.variant),
                *(f"{peak.counts[i]} ({peak.counts[i] / peak.games:.0%})" for i in reached),
                f"{peak.mean:.2f}",
            )
        tables.append(table)
    return tables


def register(app: typer.Typer) -> None:
    """Add ``redline analyze`` to the ``redline`` command."""
    app.command()(analyze)


def _base() -> ModuleType:
    """The command's shared helpers, taken when a command runs (``engine.cli`` imports
    this module to register the command, so it cannot be imported at the top)."""
    from engine import cli

    return cli
