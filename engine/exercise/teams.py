"""The teams of a facilitated exercise: who plays which actors, people or computer.

Teams come from the scenario's ``teams`` and may be changed on the command line with
``--team NAME=human|bot`` (an existing team) or ``--team NAME=human:ACTOR,ACTOR`` (a new
one).  Names are matched without regard to case, and ``-`` stands for ``_``, so
``--team JAPAN-ROK=human`` finds ``japan_rok``.  Actors on no team are played by their
computer players.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.content import LoadedGame
from engine.content.messages import closest
from engine.errors import RedlineError
from engine.saves.game import TeamRecord

PLAYERS = ("human", "bot")


class TeamError(RedlineError):
    """A ``--team`` choice or a team name that does not fit the game."""


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    actors: tuple[str, ...]
    player: str
    """``human`` or ``bot``."""

    @property
    def is_human(self) -> bool:
        return self.player == "human"

    def record(self) -> TeamRecord:
        return TeamRecord(self.name, self.actors, self.player)


def scenario_teams(game: LoadedGame) -> dict[str, Team]:
    """The teams the scenario defines, in its order."""
    return {
        team_id: Team(team_id, team.name, tuple(team.actors), team.player)
        for team_id, team in game.scenario.teams.items()
    }


def saved_teams(records: Mapping[str, TeamRecord]) -> dict[str, Team]:
    return {
        team_id: Team(team_id, record.name, record.actors, record.player)
        for team_id, record in records.items()
    }


def normalised(name: str) -> str:
    return name.strip().lower().replace("-", "_")


def find_team(teams: Mapping[str, Team], name: str) -> Team:
    """The team called ``name``, or a :class:`TeamError` naming the teams there are."""
    key = normalised(name)
    if key in teams:
        return teams[key]
    match = closest(key, teams)
    guess = f"did you mean '{match}'? " if match else ""
    raise TeamError(f"no team '{name}': {guess}the teams are {', '.join(teams) or 'none'}")


def choose_teams(game: LoadedGame, choices: Sequence[str]) -> dict[str, Team]:
    """The scenario's teams with ``--team`` choices applied, checked against the game."""
    teams = scenario_teams(game)
    actors = {a.id for a in game.spec.actors}
    for choice in choices:
        name, sep, rest = choice.partition("=")
        player, _, members = rest.partition(":")
        player = player.strip().lower()
        if not sep or not name.strip() or player not in PLAYERS:
            raise TeamError(
                f"--team {choice!r}: write NAME=human or NAME=bot, or NAME=human:ACTOR,ACTOR "
                "for a new team"
            )
        key = normalised(name)
        if sep and rest.partition(":")[1]:
            listed = tuple(dict.fromkeys(a.strip() for a in members.split(",") if a.strip()))
            if not listed:
                raise TeamError(f"--team {choice!r}: a new team needs at least one actor")
            if key in teams:
                raise TeamError(
                    f"--team {choice!r}: there is already a team '{key}'; write "
                    f"--team {key}=human or --team {key}=bot to choose who plays it, or give "
                    "the new team another name"
                )
            unknown = [a for a in listed if a not in actors]
            if unknown:
                raise TeamError(
                    f"--team {choice!r}: no actor {', '.join(unknown)} in "
                    f"{game.spec.scenario_id}; the actors are {', '.join(sorted(actors))}"
                )
            teams = {
                tid: Team(tid, t.name, tuple(a for a in t.actors if a not in listed), t.player)
                for tid, t in teams.items()
            }
            teams = {tid: t for tid, t in teams.items() if t.actors}
            teams[key] = Team(key, name.strip(), listed, player)
        else:
            team = find_team(teams, name)
            teams[team.id] = Team(team.id, team.name, team.actors, player)
    return teams


def team_of(teams: Mapping[str, Team]) -> dict[str, Team]:
    """Each teamed actor's team."""
    return {actor: team for team in teams.values() for actor in team.actors}
