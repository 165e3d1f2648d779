"""Playing an experiment's games: one worker function, run in process, in a local process
pool, or on a Dask cluster.

Games travel in batches (up to :data:`BATCH_SIZE` seeds of one variant per task) so that
the cost of sending a task and its result is small next to the games it plays.  A worker
loads each variant once from its source (see :mod:`engine.analysis.variants`) and keeps it
for every later batch.  Each game comes back as a small :class:`GameResult`: its outcome
measures, its red lines and triggers, and the tracks the plots follow, turn by turn; the
game record itself, with its thousands of events, never leaves the worker.

Results are sorted by variant and seed before anyone reads them, so the summary is the
same whatever the number of workers, the backend, or the order in which batches finish.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.ai.doctrine import DoctrineSet
from engine.ai.players import make_bots
from engine.analysis.variants import VariantSource
from engine.core import GameSpec, GameState, Rules, initial_state
from engine.core.board import ESCALATION_TRACK
from engine.core.events import RedLineChanged, TriggerFired
from engine.core.spec import defender_side
from engine.errors import RedlineError
from engine.runner import GameRecord, TurnRecord, play_game

if TYPE_CHECKING:
    from distributed import Client

BATCH_SIZE = 20
"""Seeds per task at most: a default-scenario batch is several seconds of work, far more
than the few milliseconds it takes to send it and its results."""

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a Dask scheduler before saying it cannot be reached."""

Progress = Callable[[int], None]
"""Told how many more games have been played."""


class BackendError(RedlineError):
    """A Dask scheduler that cannot be reached, or a worker pool that cannot start."""


@dataclass(frozen=True)
class Batch:
    """Seeds of one variant to play in one task, and who plays them."""

    variant: int
    source: str
    """The :attr:`VariantSource.key` of the variant."""
    seeds: tuple[int, ...]
    controllers: tuple[tuple[str, str], ...] = ()
    difficulty: str | None = None


@dataclass(frozen=True)
class Watched:
    """The tracks followed turn by turn for the trajectory plots, as ``(label, scope,
    slot)``: US credibility (per theater, or for the leader of the side that declares red
    lines when the ruleset scopes credibility by actor) and escalation per theater."""

    credibility: tuple[tuple[str, str, int], ...]
    escalation: tuple[tuple[str, str, int], ...]


def watched(spec: GameSpec) -> Watched:
    """What :func:`play_one` follows for ``spec``; empty parts when the ruleset has no
    credibility track or no escalation ladder."""
    track_id = spec.red_line_consequences.credibility_track or "credibility"
    track = spec.track_by_id.get(track_id)
    credibility: list[tuple[str, str, int]] = []
    if track is not None:
        if track.scope == "theater":
            scopes = [(t.name, t.id) for t in spec.theaters]
        elif track.scope == "actor":
            side = defender_side(spec)
            members = [a for a in spec.actors if a.side == side]
            leader = next((a for a in members if a.role == "leader"), members[0])
            scopes = [(leader.name, leader.id)]
        else:
            scopes = [(track.name, "")]
        credibility = [(name, scope, spec.track_slots[(track_id, scope)]) for name, scope in scopes]
    escalation: list[tuple[str, str, int]] = []
    if spec.ladder is not None and ESCALATION_TRACK in spec.track_by_id:
        escalation = [
            (t.name, t.id, spec.track_slots[(ESCALATION_TRACK, t.id)]) for t in spec.theaters
        ]
    return Watched(tuple(credibility), tuple(escalation))


@dataclass(frozen=True)
class GameResult:
    """What an analysis keeps of one game."""

    variant: int
    seed: int
    turns: int
    outcomes: tuple[float, ...]
    """One value per ``spec.outcomes``, in its order."""
    final_red_lines: tuple[str, ...]
    """Each red line's status when the game ended, in ``spec.red_lines`` order."""
    red_line_steps: tuple[tuple[str, str, int], ...]
    """``(red line, status, times)`` for every step a red line took (crossed, enforced,
    failed, armed, ...), sorted."""
    triggers: tuple[tuple[str, int], ...]
    """``(trigger, firings)`` for every trigger that fired, sorted."""
    credibility: tuple[tuple[float, ...], ...]
    """Per :attr:`Watched.credibility` entry, the value at the start and after each turn."""
    escalation: tuple[tuple[float, ...], ...]
    """Per :attr:`Watched.escalation` entry (theater), the rung at the start and after
    each turn."""

    @property
    def peak_rungs(self) -> tuple[int, ...]:
        """The highest rung each theater stood on at the start or after any turn: what the
        rulesets' own peak-escalation measures fold."""
        return tuple(int(max(series)) for series in self.escalation)


def summarise_game(
    spec: GameSpec, variant: int, start: GameState, record: GameRecord, states: Sequence[GameState]
) -> GameResult:
    """Fold one played game into a :class:`GameResult`; ``states`` are those after each turn."""
    steps: dict[tuple[str, str], int] = {}
    fired: dict[str, int] = {}
    for event in _events(record.turns):
        if isinstance(event, RedLineChanged):
            key = (event.red_line, event.status)
            steps[key] = steps.get(key, 0) + 1
        elif isinstance(event, TriggerFired):
            fired[event.trigger] = fired.get(event.trigger, 0) + 1
    follow = watched(spec)
    every = (start, *states)
    return GameResult(
        variant=variant,
        seed=record.seed,
        turns=len(record.turns),
        outcomes=tuple(record.outcomes[o.id] for o in spec.outcomes),
        final_red_lines=tuple(line.status for line in record.final.red_lines),
        red_line_steps=tuple(sorted((line, status, n) for (line, status), n in steps.items())),
        triggers=tuple(sorted(fired.items())),
        credibility=tuple(
            tuple(s.tracks[slot] for s in every) for _, _, slot in follow.credibility
        ),
        escalation=tuple(tuple(s.tracks[slot] for s in every) for _, _, slot in follow.escalation),
    )


def _events(turns: Iterable[TurnRecord]) -> Iterable[object]:
    for turn in turns:
        yield from turn.events


@dataclass(frozen=True)
class Prepared:
    """A variant loaded in a worker: its compiled rules and its doctrine."""

    rules: Rules
    doctrine: DoctrineSet | None


def play_one(
    prepared: Prepared,
    seed: int,
    variant: int = 0,
    controllers: Mapping[str, str] | None = None,
    difficulty: str | None = None,
) -> GameResult:
    """Play one game as ``redline run SCENARIO --seed SEED`` would (fresh bots, the same
    seed) and keep what the analysis needs of it."""
    rules = prepared.rules
    bots = make_bots(rules, prepared.doctrine, controllers, difficulty)
    states: list[GameState] = []
    record = play_game(rules, bots, seed=seed, on_turn=lambda _, state: states.append(state))
    return summarise_game(rules.spec, variant, initial_state(rules.spec, seed), record, states)


_SOURCES: dict[str, VariantSource] = {}
"""The sources this process has been given, by key (a pool's workers get them once)."""
_PREPARED: dict[str, Prepared] = {}
"""The variants this process has loaded, by source key: each is loaded once per process."""
_KEEP = 16
"""Loaded variants a process keeps (a default-scenario variant is a few megabytes)."""


def remember(sources: Sequence[VariantSource]) -> None:
    """Give this process the sources its batches name (a process pool's initializer)."""
    for source in sources:
        _SOURCES[source.key] = source


def prepare(source: VariantSource) -> Prepared:
    """The variant of ``source``, loaded once in this process and kept."""
    found = _PREPARED.get(source.key)
    if found is None:
        game = source.load()
        found = Prepared(Rules(game.spec), game.doctrine)
        if len(_PREPARED) >= _KEEP:
            _PREPARED.pop(next(iter(_PREPARED)))
        _PREPARED[source.key] = found
    return found


def play_batch(
    batch: Batch, source: VariantSource | None = None, on_game: Progress | None = None
) -> list[GameResult]:
    """Play every seed of ``batch``: the task each worker runs.  ``source`` is given with
    the task on Dask, and by :func:`remember` beforehand in a process pool."""
    if source is not None:
        _SOURCES[source.key] = source
    prepared = prepare(_SOURCES[batch.source])
    controllers = dict(batch.controllers)
    results = []
    for seed in batch.seeds:
        results.append(play_one(prepared, seed, batch.variant, controllers, batch.difficulty))
        if on_game is not None:
            on_game(1)
    return results


def batch_size(games: int, workers: int) -> int:
    """Seeds per task: :data:`BATCH_SIZE`, or fewer when there are few games, so that every
    worker gets several tasks and none waits idle while another plays the last one."""
    return max(1, min(BATCH_SIZE, math.ceil(games / (4 * workers))))


def plan(
    sources: Sequence[VariantSource],
    seeds: Sequence[int],
    size: int,
    controllers: Mapping[str, str] | None = None,
    difficulty: str | None = None,
) -> list[Batch]:
    """Every variant's seeds cut into batches of ``size``."""
    chosen = tuple(sorted((controllers or {}).items()))
    return [
        Batch(index, source.key, tuple(seeds[start : start + size]), chosen, difficulty)
        for index, source in enumerate(sources)
        for start in range(0, len(seeds), size)
    ]


def in_order(results: Iterable[GameResult]) -> list[GameResult]:
    """Results by variant and seed: the only order a summary reads them in."""
    return sorted(results, key=lambda r: (r.variant, r.seed))


def run_in_process(
    batches: Sequence[Batch], sources: Sequence[VariantSource], progress: Progress | None = None
) -> list[GameResult]:
    """Play every batch here, one game after another."""
    remember(sources)
    results: list[GameResult] = []
    for batch in batches:
        results.extend(play_batch(batch, on_game=progress))
    return in_order(results)


def run_in_pool(
    batches: Sequence[Batch],
    sources: Sequence[VariantSource],
    workers: int,
    progress: Progress | None = None,
) -> list[GameResult]:
    """Play the batches in ``workers`` local processes.

    The processes are started with ``spawn`` (fresh interpreters), never ``fork``: the
    progress bar runs a thread, and forking a process with threads can copy a held lock
    into the child.  Each process is given every variant's source once, at its start.
    """
    _check_spawnable()
    context = multiprocessing.get_context("spawn")
    results: list[GameResult] = []
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=remember, initargs=(tuple(sources),)
    ) as pool:
        futures = {pool.submit(play_batch, batch): batch for batch in batches}
        try:
            for future in as_completed(futures):
                results.extend(future.result())
                if progress is not None:
                    progress(len(futures[future].seeds))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return in_order(results)


def _check_spawnable() -> None:
    """Refuse, rather than hang, when the workers could not start: a spawned interpreter
    imports the main program again by its path, which a program read from standard input
    does not have."""
    main = sys.modules.get("__main__")
    if getattr(main, "__spec__", None) is not None:
        return
    path = getattr(main, "__file__", None)
    if path is not None and not os.path.exists(path):
        raise BackendError(
            f"worker processes cannot start: each imports the main program again from its "
            f"file, and this one has none ({path}); run it from a file, or play in this "
            "process (workers=1)"
        )


def connect(address: str, timeout: float | None = None) -> Client:
    """A client of the Dask scheduler at ``address``, or :class:`BackendError` saying why
    there is none, after ``timeout`` seconds at most (default :data:`CONNECT_TIMEOUT`).

    A TCP address is first checked with a bare connection and handshake, and a malformed
    one is refused before any client exists: a client that fails after starting its event
    loop spends seconds closing itself when collected, and prints a traceback as it does.
    """
    from distributed import Client
    from distributed.comm.addressing import parse_address, parse_host_port

    wait = timeout or CONNECT_TIMEOUT
    try:
        scheme, location = parse_address(address)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
        if scheme == "tcp":
            asyncio.run(_handshake(address, wait))
        return Client(address, timeout=wait, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as exc:
        reason = f"cannot reach a Dask scheduler there ({exc})"
    except Exception as exc:  # what answered is not a scheduler: any error, reported once
        reason = f"what answers there is not a Dask scheduler ({type(exc).__name__})"
    raise BackendError(
        f"--dask {address}: {reason}; start one with 'dask scheduler' and workers with "
        "'dask worker ADDRESS', or drop --dask to use local processes"
    )


async def _handshake(address: str, timeout: float) -> None:
    """Open and close one connection to ``address`` as a Dask client would."""
    from distributed.comm.core import connect as open_comm

    comm = await open_comm(address, timeout=timeout)  # type: ignore[no-untyped-call]
    await comm.close()


def cluster_threads(client: Client) -> int:
    """How many tasks the cluster runs at once (at least 1)."""
    return max(1, sum(client.nthreads().values()))  # type: ignore[no-untyped-call]


def run_on_dask(
    batches: Sequence[Batch],
    sources: Sequence[VariantSource],
    client: Client,
    progress: Progress | None = None,
) -> list[GameResult]:
    """Play the batches on a Dask cluster.

    Each variant's source is scattered to the cluster once and every task refers to it;
    the workers must have this version of Redline installed.
    """
    from distributed import as_completed as dask_completed

    shared = {source.key: client.scatter(source, hash=False) for source in sources}  # type: ignore[no-untyped-call]
    futures = {
        client.submit(play_batch, batch, shared[batch.source], pure=False): batch
        for batch in batches
    }
    results: list[GameResult] = []
    try:
        for future in dask_completed(list(futures), loop=client.loop):  # type: ignore[no-untyped-call]
            results.extend(future.result())
            if progress is not None:
                progress(len(futures[future].seeds))
    except BaseException:
        client.cancel(list(futures))  # type: ignore[no-untyped-call]
        raise
    return in_order(results)


def play_variants(
    sources: Sequence[VariantSource],
    seeds: Sequence[int],
    workers: int = 1,
    client: Client | None = None,
    controllers: Mapping[str, str] | None = None,
    difficulty: str | None = None,
    progress: Progress | None = None,
    size: int | None = None,
) -> list[GameResult]:
    """Play every seed of every variant: on ``client``'s Dask cluster when given, else in
    ``workers`` local processes (1: in this process).  Results by variant and seed."""
    parallel = cluster_threads(client) if client is not None else workers
    batches = plan(
        sources, seeds, size or batch_size(len(seeds), parallel), controllers, difficulty
    )
    if client is not None:
        return run_on_dask(batches, sources, client, progress)
    if workers > 1:
        return run_in_pool(batches, sources, workers, progress)
    return run_in_process(batches, sources, progress)
