"""Experiments: one claim of the policy argument, as a comparison anyone can run again.

An experiment file (``experiments/*.yaml``) states a claim and the comparison that tests
it: a scenario, its variants or a sweep, how many games and from which seed.  ``redline
experiment FILE`` prints the claim and runs the comparison exactly as ``redline analyze``
would with those arguments, so the answer comes out of the rules, never out of the file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from pydantic import Field, ValidationError

from engine.content.messages import diagnostics_from
from engine.content.schema import Id, Model
from engine.content.source import read_document
from engine.errors import ContentError, Diagnostic


class Experiment(Model):
    """An experiment file: the claim, and the comparison that tests it."""

    experiment: Id
    claim: str = Field(min_length=1)
    scenario: str
    """The scenario played first, which the others are compared with (relative to the file)."""
    variants: list[str] = Field(default_factory=list)
    sweep: list[str] = Field(default_factory=list)
    games: int = Field(default=200, ge=1)
    seed: int = Field(default=1, ge=0)


def read_experiment(path: Path) -> Experiment:
    """The experiment in ``path``, or ``ContentError`` naming every problem with its line."""
    document = read_document(path)
    if document.diagnostics:
        raise ContentError(document.diagnostics)
    if not isinstance(document.data, dict):
        raise ContentError(
            [Diagnostic("error", str(path), 1, 1, "", "an experiment is a mapping of fields")]
        )
    try:
        return Experiment.model_validate(document.data)
    except ValidationError as exc:
        raise ContentError(diagnostics_from(exc, Experiment, document.marks, str(path))) from None


def beside(path: Path, name: str) -> Path:
    """``name`` as the experiment file gives it: relative to the file's folder."""
    return Path(os.path.normpath(path.parent / name))


def experiment(
    file: Annotated[
        Path, typer.Argument(help="An experiment file, e.g. experiments/posture.yaml.")
    ],
    games: Annotated[
        int | None, typer.Option(help="Seeded games per variant (default: the file's).")
    ] = None,
    workers: Annotated[int | None, typer.Option(help="Local worker processes.")] = None,
    dask: Annotated[
        str | None, typer.Option("--dask", metavar="ADDRESS", help="A Dask scheduler's address.")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the results (default: analysis/EXPERIMENT)."),
    ] = None,
    plots: Annotated[bool, typer.Option("--plots/--no-plots", help="Draw the plots.")] = True,
) -> None:
    """Run one of the policy argument's experiments and print its comparison."""
    from engine import cli
    from engine.analysis.command import analyze

    try:
        chosen = read_experiment(file)
    except ContentError as exc:
        cli._print_diagnostics(exc.diagnostics)
        raise cli._fail(f"{file}: not a valid experiment") from None
    cli.out.print(f"[bold]Experiment {chosen.experiment}[/bold]")
    cli.out.print(chosen.claim.strip(), markup=False, soft_wrap=True)
    if out_dir is None:
        out_dir = Path("analysis") / chosen.experiment
        out_dir.parent.mkdir(exist_ok=True)  # the default place is Redline's own
    analyze(
        beside(file, chosen.scenario),
        variant=[beside(file, v) for v in chosen.variants],
        games=games or chosen.games,
        seed=chosen.seed,
        workers=workers,
        dask=dask,
        out_dir=out_dir,
        sweep=list(chosen.sweep),
        bot=None,
        difficulty=None,
        plots=plots,
    )


def register(app: typer.Typer) -> None:
    """Add ``redline experiment`` to the ``redline`` command."""
    app.command()(experiment)
