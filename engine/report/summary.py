"""The report's first section: which game, who played whom, how it ended, what it measured.

A debrief starts from the result, so the outcome measures the ruleset declares (peak
escalation, credibility, assurance, territory) come first, folded exactly as an analysis
of many games folds them (:class:`~engine.core.OutcomeRecorder`).  A team's report leaves
out the seed (with it and its own orders, a team could play the computer players' turns
again and learn everything it did not see) and every measure built from values it could
not observe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.core import OutcomeRecorder
from engine.report.document import Block, Paragraph, Section, Table
from engine.report.errors import ReportError
from engine.report.sight import Sight
from engine.saves.game import SavedGame
from engine.saves.replay import Replay

SUMMARY = "Summary"


@dataclass(frozen=True)
class Team:
    """A team of a facilitated game, as the report names it."""

    id: str
    name: str
    actors: tuple[str, ...]


def teams_of(saved: SavedGame) -> tuple[Team, ...]:
    """The save's teams, in its order, when it records any (saves may gain a ``teams``
    mapping of team id to an object with ``name`` and ``actors``; older ones have none)."""
    recorded = getattr(saved, "teams", None)
    if not isinstance(recorded, Mapping):
        return ()
    teams = []
    for team_id, team in recorded.items():
        actors = getattr(team, "actors", ())
        if isinstance(actors, set | frozenset):
            actors = sorted(actors)  # a set's order changes from one process to the next
        teams.append(
            Team(str(team_id), str(getattr(team, "name", team_id)), tuple(map(str, actors)))
        )
    return tuple(teams)


def viewers_named(replay: Replay, name: str) -> tuple[str, ...]:
    """The actors a team's report is for, from what a user typed: a team of the save, an
    actor, or actors separated by commas; :class:`ReportError` lists what there is."""
    spec = replay.spec
    key = name.strip().lower().replace("-", "_")
    for team in teams_of(replay.saved):
        if key == team.id:
            return team.actors
    actors = tuple(part.strip() for part in name.split(",") if part.strip())
    if actors and all(actor in spec.actor_by_id for actor in actors):
        return actors
    teams = ", ".join(team.id for team in teams_of(replay.saved))
    known = f"its teams are {teams}; " if teams else ""
    raise ReportError(
        f"{spec.scenario_id} has no team or actor '{name}': {known}its actors are "
        + ", ".join(actor.id for actor in spec.actors)
    )


def team_of(teams: tuple[Team, ...], actor: str) -> Team | None:
    return next((team for team in teams if actor in team.actors), None)


def number(value: float) -> str:
    """A value as a reader wants it: at most two decimals, no trailing zeros, never in
    scientific notation."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def how_it_ended(sight: Sight) -> str:
    """One sentence: the game's own end, a stop, or a save that simply ends."""
    last = sight.last_turn
    total = sight.spec.turns
    final = sight.state(last)
    if final.finished:
        return f"The game ended after turn {last} of {total}: {final.end_reason}."
    stopped = sight.replay.saved.stopped
    if stopped:
        return f"The game was stopped after turn {last} of {total}: {stopped}."
    if last == 0:
        return "No turn was played."
    return f"The save ends after turn {last} of {total}; the game was not finished."


def _facts(sight: Sight, title_for: str) -> Table:
    spec, saved = sight.spec, sight.replay.saved
    calendar = spec.calendar
    rows = [
        ("Scenario", f"{spec.scenario_name} ({spec.scenario_id})"),
        ("Ruleset", spec.ruleset_id),
    ]
    if sight.is_full:
        rows.append(("Seed", str(saved.seed)))
    rows.append(("Turns played", f"{sight.last_turn} of {spec.turns}"))
    if sight.last_turn:
        dates = f"{calendar.label(1)} to {calendar.label(sight.last_turn)}"
        rows.append(("Dates", dates))
    if saved.difficulty:
        rows.append(("Difficulty", saved.difficulty))
    if saved.origin:
        rows.append(("Branched from", saved.origin))
    rows.append(("Engine", saved.engine_version))
    rows.append(("Report for", title_for))
    return Table(("Item", "Value"), tuple(rows))


def _players(sight: Sight, teams: tuple[Team, ...]) -> Table:
    spec, saved = sight.spec, sight.replay.saved
    header = ["Actor", "Name", "Side", "Played by"]
    if teams:
        header.append("Team")
    header.append("Budget at the end")
    rows = []
    for actor in spec.actors:
        row = [actor.id, actor.name, spec.side_by_id[actor.side].name]
        row.append(saved.players.get(actor.id, "not recorded"))
        if teams:
            team = team_of(teams, actor.id)
            row.append(team.name if team else "")
        budget = sight.budget(actor.id, sight.last_turn)
        row.append("not known to this team" if budget is None else number(budget))
        rows.append(tuple(row))
    return Table(tuple(header), tuple(rows))


def _outcomes(sight: Sight) -> list[Block]:
    spec = sight.spec
    if not spec.outcomes:
        return [Paragraph("The ruleset declares no outcome measures.")]
    recorder = OutcomeRecorder(spec, sight.state(0))
    for turn in range(1, sight.last_turn + 1):
        recorder.observe(sight.state(turn))
    results = recorder.results()
    rows = tuple(
        (outcome.name, number(results[outcome.id]), outcome.statistic)
        for outcome in spec.outcomes
        if sight.sees_outcome(outcome)
    )
    blocks: list[Block] = [Table(("Measure", "Value", "Over the game"), rows)]
    if len(rows) < len(spec.outcomes):
        blocks.append(
            Paragraph(
                f"{len(spec.outcomes) - len(rows)} measures built from what this team could "
                "not observe are left out."
            )
        )
    return blocks


def summary_section(sight: Sight, title_for: str) -> Section:
    """The Summary: facts, how it ended, players (and teams), outcome measures."""
    teams = teams_of(sight.replay.saved)
    blocks: list[Block] = [
        _facts(sight, title_for),
        Section("How the game ended", (Paragraph(how_it_ended(sight)),), level=3),
        Section("Players", (_players(sight, teams),), level=3),
    ]
    if teams:
        rows = tuple((t.id, t.name, ", ".join(t.actors)) for t in teams)
        blocks.append(Section("Teams", (Table(("Team", "Name", "Actors"), rows),), level=3))
    blocks.append(Section("Outcome measures", tuple(_outcomes(sight)), level=3))
    return Section(SUMMARY, tuple(blocks))
