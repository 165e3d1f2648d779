"""The YAML formats as frozen pydantic models: rulesets, scenarios, conditions, effects.

This is the single definition of what a file may contain.  Every model forbids unknown
fields, so a misspelt key is an error with a suggestion rather than a silently ignored
value.  Conditions and effects are single-key mappings (``{track: tension, ge: 40}``,
``{adjust: credibility, scope: $self, by: 5}``) told apart by their first key, as a closed
vocabulary.  Cross-references between ids are checked afterwards by
:mod:`engine.content.references`, which can see the whole ruleset and scenario at once.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
"""Ids are lower-case words joined by underscores: ``baltic_sea``, ``north_korea``."""

UnitId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
"""Unit ids may also start with a digit and contain dashes: ``1st-armored``."""

Ref = Annotated[
    str, StringConstraints(pattern=r"^(\$self|\$target|\$theater|\$member|[a-z][a-z0-9_]*)$")
]
"""An id, or a context token filled in when the rule runs."""

Domain = Literal["land", "sea", "air", "missile", "nuclear"]
Category = Literal["diplomatic", "informational", "military", "economic"]

_RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$")
_RESULT = re.compile(r"^\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$")


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


COMPARISONS = ("lt", "le", "eq", "ne", "ge", "gt")


class OneComparison(Model):
    """Base of everything compared with one operator: exactly one of ``lt`` ... ``gt``.

    Subclasses declare the six operator fields with the type of value they compare.
    """

    @model_validator(mode="after")
    def _one_comparison(self) -> OneComparison:
        given = [op for op in COMPARISONS if getattr(self, op, None) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one comparison: lt, le, eq, ne, ge or gt "
                f"(found {', '.join(given) or 'none'})"
            )
        return self

    def comparison(self) -> tuple[str, Any]:
        """The operator given and its value."""
        for op in COMPARISONS:
            value = getattr(self, op, None)
            if value is not None:
                return op, value
        raise AssertionError("validated to hold one comparison")


class Comparable(OneComparison):
    """Comparison operators written next to a subject: ``ge: 40`` means "at least 40"."""

    lt: float | None = None
    le: float | None = None
    eq: float | None = None
    ne: float | None = None
    ge: float | None = None
    gt: float | None = None


# ----------------------------------------------------------------------------- conditions


class AllOf(Model):
    all: list[Condition]


class AnyOf(Model):
    any: list[Condition]


class NotCondition(Model):
    not_: Condition = Field(alias="not")
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class TrackCondition(Comparable):
    """``{track: tension, scope: europe, ge: 40}``: a track value compared with a number."""

    track: Id
    scope: Ref = ""


class UnitFilter(Model):
    actor: Ref = ""
    side: Id = ""
    type: Id = ""
    area: Ref = ""
    theater: Ref = ""


class UnitsCondition(Comparable):
    """``{units: {side: red, area: crimea}, ge: 1}``: count or strength of matching units."""

    units: UnitFilter
    measure: Literal["count", "strength"] = "count"


class ControlCondition(Model):
    """``{controls: crimea, side: red}``: who holds an area."""

    controls: Ref
    actor: Ref = ""
    side: Id = ""

    @model_validator(mode="after")
    def _holder(self) -> ControlCondition:
        if bool(self.actor) == bool(self.side):
            raise ValueError("name either an actor or a side as the holder")
        return self


class FlagCondition(Model):
    """``{flag: name}`` is true when the flag is set; add ``set: false`` for the opposite."""

    flag: Id
    set: bool = True


Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class DateComparable(OneComparison):
    """A comparison against a month written ``YYYY-MM``."""

    lt: Month | None = None
    le: Month | None = None
    eq: Month | None = None
    ne: Month | None = None
    ge: Month | None = None
    gt: Month | None = None


class TurnCondition(Model):
    """``{turn: {ge: 3}}``."""

    turn: Comparable


class BudgetCondition(Comparable):
    """``{budget: $self, ge: 5}``."""

    budget: Ref


class DateCondition(Model):
    """``{date: {ge: "2025-06"}}``: the date of the turn being played."""

    date: DateComparable


class RungCondition(OneComparison):
    """``{rung: europe, ge: crisis}``: a theater's escalation rung, by id or position."""

    rung: Ref
    lt: str | int | None = None
    le: str | int | None = None
    eq: str | int | None = None
    ne: str | int | None = None
    ge: str | int | None = None
    gt: str | int | None = None


class HappenedCondition(Model):
    """``{happened: {event: action_taken, actor: russia, action: annexation}}``: this turn."""

    happened: dict[str, str]

    @field_validator("happened")
    @classmethod
    def _names_event(cls, value: dict[str, str]) -> dict[str, str]:
        if "event" not in value:
            raise ValueError("name the kind of event with 'event:', e.g. 'event: action_taken'")
        return value


class ChanceCondition(Model):
    """``{chance: 0.25}``: drawn from the game's generator each time it is evaluated."""

    chance: float = Field(ge=0, le=1)


class MemberCondition(Model):
    """``{member: nato, actor: $self}``."""

    member: Id
    actor: Ref


class RedLineCondition(Model):
    """``{red_line: eez_strike, status: crossed}``; ``$target`` in an action on a red line."""

    red_line: Ref
    status: Literal["inactive", "armed", "crossed", "enforced", "failed", "expired", "retired"]


CONDITION_KEYS = (
    "all",
    "any",
    "not",
    "track",
    "units",
    "controls",
    "flag",
    "turn",
    "date",
    "budget",
    "rung",
    "happened",
    "chance",
    "member",
    "red_line",
)


def _first_key(value: Any, keys: tuple[str, ...]) -> str | None:
    if isinstance(value, dict):
        for key in keys:
            if key in value:
                return key
        return None
    for key in keys:
        attribute = "not_" if key == "not" else key
        if hasattr(value, attribute):
            return key
    return None


def _condition_tag(value: Any) -> str | None:
    return _first_key(value, CONDITION_KEYS)


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotCondition, Tag("not")]
    | Annotated[TrackCondition, Tag("track")]
    | Annotated[UnitsCondition, Tag("units")]
    | Annotated[ControlCondition, Tag("controls")]
    | Annotated[FlagCondition, Tag("flag")]
    | Annotated[TurnCondition, Tag("turn")]
    | Annotated[DateCondition, Tag("date")]
    | Annotated[BudgetCondition, Tag("budget")]
    | Annotated[RungCondition, Tag("rung")]
    | Annotated[HappenedCondition, Tag("happened")]
    | Annotated[ChanceCondition, Tag("chance")]
    | Annotated[MemberCondition, Tag("member")]
    | Annotated[RedLineCondition, Tag("red_line")],
    Discriminator(
        _condition_tag,
        custom_error_type="unknown_condition",
        custom_error_message="not a condition: start it with one of " + ", ".join(CONDITION_KEYS),
    ),
]


# ----------------------------------------------------------------------------- effects


class AdjustEffect(Model):
    """``{adjust: credibility, scope: $self, by: 5}``."""

    adjust: Id
    scope: Ref = ""
    by: float
    weight: Literal["alignment"] | None = None
    """Inside ``each_member``: scale by how closely the member's threat perceptions match
    the acting actor's."""


class SetEffect(Model):
    """``{set: tension, scope: europe, to: 50}``."""

    set: Id
    scope: Ref = ""
    to: float


class SetFlagEffect(Model):
    set_flag: Id


class ClearFlagEffect(Model):
    clear_flag: Id


class BudgetEffect(Model):
    """``{budget: $self, by: -3}``."""

    budget: Ref
    by: float


class AddUnitEffect(Model):
    """``{add_unit: marine_brigade, owner: us, area: japan}``; full strength unless given."""

    add_unit: Id
    owner: Ref
    area: Ref
    strength: float | None = Field(default=None, gt=0)


class RemoveUnitsEffect(Model):
    """``{remove_units: {actor: russia, area: crimea}, count: 1}``; all matches when no count."""

    remove_units: UnitFilter
    count: int = Field(default=0, ge=0)


class MoveUnitsEffect(Model):
    """``{move_units: {actor: us, area: conus}, to: poland, count: 1}``."""

    move_units: UnitFilter
    to: Ref
    count: int = Field(default=0, ge=0)


class SetControlEffect(Model):
    """``{set_control: crimea, actor: russia}``."""

    set_control: Ref
    actor: Ref


class MessageEffect(Model):
    """``{message: "text", to: all}``; ``to`` is an actor or ``all``."""

    message: str
    to: Ref = "all"


class EndGameEffect(Model):
    end_game: str


class EscalateEffect(Model):
    """``{escalate: $theater, by: 1}`` or ``{escalate: europe, to: crisis}``."""

    escalate: Ref
    by: int = 0
    to: str | int | None = None

    @model_validator(mode="after")
    def _by_or_to(self) -> EscalateEffect:
        if (self.to is None) == (self.by == 0):
            raise ValueError("give either 'by' (rungs up or down) or 'to' (a rung)")
        return self


class DeclareRedLineEffect(Model):
    declare_red_line: Ref


class RetireRedLineEffect(Model):
    retire_red_line: Ref


class FireEffect(Model):
    """``{fire: name}`` raises a named event; triggers with ``on: name`` answer it."""

    fire: Id


class EachMemberEffect(Model):
    """``{each_member: $target, effects: [...]}``: the effects once per coalition member,
    with ``$member`` standing for that member."""

    each_member: Ref
    effects: list[Effect]


EFFECT_KEYS = (
    "adjust",
    "set",
    "set_flag",
    "clear_flag",
    "budget",
    "add_unit",
    "remove_units",
    "move_units",
    "set_control",
    "message",
    "end_game",
    "escalate",
    "declare_red_line",
    "retire_red_line",
    "fire",
    "each_member",
)


def _effect_tag(value: Any) -> str | None:
    return _first_key(value, EFFECT_KEYS)


Effect = Annotated[
    Annotated[AdjustEffect, Tag("adjust")]
    | Annotated[SetEffect, Tag("set")]
    | Annotated[SetFlagEffect, Tag("set_flag")]
    | Annotated[ClearFlagEffect, Tag("clear_flag")]
    | Annotated[BudgetEffect, Tag("budget")]
    | Annotated[AddUnitEffect, Tag("add_unit")]
    | Annotated[RemoveUnitsEffect, Tag("remove_units")]
    | Annotated[MoveUnitsEffect, Tag("move_units")]
    | Annotated[SetControlEffect, Tag("set_control")]
    | Annotated[MessageEffect, Tag("message")]
    | Annotated[EndGameEffect, Tag("end_game")]
    | Annotated[EscalateEffect, Tag("escalate")]
    | Annotated[DeclareRedLineEffect, Tag("declare_red_line")]
    | Annotated[RetireRedLineEffect, Tag("retire_red_line")]
    | Annotated[FireEffect, Tag("fire")]
    | Annotated[EachMemberEffect, Tag("each_member")],
    Discriminator(
        _effect_tag,
        custom_error_type="unknown_effect",
        custom_error_message="not an effect: start it with one of " + ", ".join(EFFECT_KEYS),
    ),
]

for _model in (AllOf, AnyOf, NotCondition, EachMemberEffect):
    _model.model_rebuild()


# ----------------------------------------------------------------------------- ruleset


class Named(Model):
    name: str
    description: str = ""


class Theater(Named):
    pass


class Side(Named):
    color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
    opposes: list[Id] = []


class Terrain(Named):
    defense: float = Field(default=1.0, gt=0)


class AreaKind(Named):
    offmap: bool = False
    controllable: bool = True


class EdgeKind(Named):
    pass


class Movement(Model):
    """Which area kinds a domain may enter and the cost of crossing each edge kind."""

    areas: list[Id]
    edges: dict[Id, Annotated[int, Field(ge=1)]]


class UnitType(Named):
    domain: Domain
    strength: float = Field(gt=0)
    movement: int = Field(ge=0)
    cost: float = Field(ge=0)
    symbol: Annotated[str, StringConstraints(pattern=r"^\d{20}$")]
    range: int = Field(default=1, ge=0)


class Role(Named):
    pass


class Decay(Model):
    toward: float
    rate: float = Field(gt=0, le=1)


class Track(Named):
    scope: Literal["global", "actor", "theater"]
    min: float = 0
    max: float = 100
    default: float = 0
    decay: Decay | None = None
    public: bool = False
    """For a track kept per actor: whether every actor sees everyone's value (otherwise
    only the actors of the same side do). Global and theater tracks are always public."""

    @model_validator(mode="after")
    def _bounds(self) -> Track:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min:g}) must be below max ({self.max:g})")
        if not self.min <= self.default <= self.max:
            raise ValueError(f"default {self.default:g} is outside [{self.min:g}, {self.max:g}]")
        return self


class Action(Named):
    category: Category
    roles: list[Id] = Field(min_length=1)
    cost: float = Field(default=0, ge=0)
    target: Literal["none", "actor", "area", "theater", "coalition", "red_line"] = "none"
    joint: Literal["operation", "solidarity"] | None = None
    requires: Condition | None = None
    effects: list[Effect] = []

    @model_validator(mode="after")
    def _joint_target(self) -> Action:
        if self.joint and self.target != "coalition":
            raise ValueError("a joint action is taken for a coalition: set 'target: coalition'")
        return self


class Combat(Model):
    """An odds table: ``columns`` like ``"1:2"``, ``"3:1"``; ``table`` rows per die face of
    ``"attacker%/defender%"`` losses, e.g. ``"20/40"``."""

    die: int = Field(default=6, ge=2, le=20)
    columns: list[str] = Field(min_length=1)
    table: list[list[str]]
    destroyed_below: float = Field(default=0.5, ge=0)

    @field_validator("columns")
    @classmethod
    def _ratios(cls, columns: list[str]) -> list[str]:
        ratios = []
        for column in columns:
            match = _RATIO.match(column)
            if not match or float(match.group(2)) == 0:
                raise ValueError(f"column '{column}' is not an odds ratio such as '3:1'")
            ratios.append(float(match.group(1)) / float(match.group(2)))
        if ratios != sorted(set(ratios)):
            raise ValueError("columns must be in ascending order of odds, each once")
        return columns

    @model_validator(mode="after")
    def _shape(self) -> Combat:
        if len(self.table) != self.die:
            raise ValueError(f"table has {len(self.table)} rows; a d{self.die} needs {self.die}")
        for number, row in enumerate(self.table, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {number} has {len(row)} cells for {len(self.columns)} columns"
                )
            for cell in row:
                match = _RESULT.match(cell)
                if not match or int(match.group(1)) > 100 or int(match.group(2)) > 100:
                    raise ValueError(
                        f"cell '{cell}' in row {number} is not 'A/D' percentages such as '20/40'"
                    )
        return self

    def ratios(self) -> tuple[float, ...]:
        return tuple(
            float(m.group(1)) / float(m.group(2))
            for m in (_RATIO.match(c) for c in self.columns)
            if m
        )

    def rows(self) -> tuple[tuple[tuple[float, float], ...], ...]:
        def cell(text: str) -> tuple[float, float]:
            match = _RESULT.match(text)
            assert match
            return int(match.group(1)) / 100, int(match.group(2)) / 100

        return tuple(tuple(cell(c) for c in row) for row in self.table)


class Phase(Model):
    id: Id
    name: str = ""
    kind: Literal["actions", "movement", "combat", "triggers", "upkeep"]
    categories: list[Category] = []

    @model_validator(mode="after")
    def _categories(self) -> Phase:
        if self.kind == "actions" and not self.categories:
            raise ValueError("an actions phase must list the categories it resolves")
        if self.kind != "actions" and self.categories:
            raise ValueError(f"a {self.kind} phase takes no categories")
        return self


class Outcome(Named):
    """A measure: ``measure`` picks what is observed, ``statistic`` how turns are folded."""

    measure: Literal["track", "strength", "control_changed", "flag"]
    statistic: Literal["final", "min", "max", "mean"] = "final"
    track: Id = ""
    scope: Id = ""
    side: Id = ""
    actor: Id = ""
    theater: Id = ""
    flag: Id = ""

    @model_validator(mode="after")
    def _needs(self) -> Outcome:
        if self.measure == "track" and not self.track:
            raise ValueError("a track measure names its 'track'")
        if self.measure == "flag" and not self.flag:
            raise ValueError("a flag measure names its 'flag'")
        if self.measure == "strength" and not (self.side or self.actor):
            raise ValueError("a strength measure names a 'side' or an 'actor'")
        return self


class Rung(Named):
    id: Id


class Ladder(Model):
    """The escalation ladder, lowest rung first; each theater has its own position on it."""

    rungs: list[Rung] = Field(min_length=2)


class Trigger(Model):
    """A rule: when ``when`` holds (or when the event ``on`` is raised), apply ``effects``."""

    description: str = ""
    when: Condition | None = None
    on: Id | None = None
    effects: list[Effect] = Field(min_length=1)
    once: bool = True
    cooldown: int = Field(default=0, ge=0)
    priority: int = 0

    @model_validator(mode="after")
    def _when_or_on(self) -> Trigger:
        if self.when is None and self.on is None:
            raise ValueError("a trigger needs 'when' (a condition), 'on' (an event name) or both")
        return self


class RedLineConsequencesModel(Model):
    """How enforcing or failing a red line moves credibility and allies' assurance."""

    credibility_track: Id
    assurance_track: Id | None = None
    enforced: dict[Literal["credibility", "assurance"], float] = {}
    failed: dict[Literal["credibility", "assurance"], float] = {}
    other_theater_weight: float = Field(default=1.0, ge=0)
    ambiguous_factor: float = Field(default=0.5, ge=0, le=1)


class Coordination(Model):
    """Coordination cost of coalitions and the mass of joint actions (see the guide)."""

    intraregional_base: float = Field(default=0.0, ge=0)
    interregional_base: float = Field(default=0.0, ge=0)
    divergence_weight: float = Field(default=0.0, ge=0)
    mass_per_member: float = Field(default=0.0, ge=0)
    solidarity_share: float = Field(default=0.0, ge=0)
    solidarity_per_member: float = Field(default=0.0, ge=0)


class Linkage(Model):
    """The engine-kept opportunity track that links the theaters."""

    track: Id
    side: Id
    base: float = 0.0
    absence_weight: float = 0.0
    distraction_weight: float = 0.0
    reserve_weight: float = Field(default=0.0, ge=0, le=1)


class RedLine(Named):
    """A red line drawn by ``declared_by`` against ``against`` in ``theater``."""

    declared_by: Id
    against: Id
    theater: Id
    crossed_when: Condition
    response: list[Id] = []
    window: int = Field(default=1, ge=0)
    clarity: Literal["explicit", "ambiguous"] = "explicit"
    visibility: Literal["public", "private"] = "public"
    armed: bool = True
    expires_after: int = Field(default=0, ge=0)
    quote: str = ""


class Ruleset(Model):
    """A ruleset: the vocabulary of a family of scenarios."""

    ruleset: Id
    name: str
    description: str = ""
    version: str = "1"
    sources: list[str] = []
    theaters: dict[Id, Theater] = Field(min_length=1)
    sides: dict[Id, Side] = Field(min_length=2)
    terrain: dict[Id, Terrain] = Field(min_length=1)
    area_kinds: dict[Id, AreaKind] = Field(min_length=1)
    edge_kinds: dict[Id, EdgeKind] = Field(min_length=1)
    movement: dict[Domain, Movement] = {}
    unit_types: dict[Id, UnitType] = Field(min_length=1)
    roles: dict[Id, Role] = Field(min_length=1)
    tracks: dict[Id, Track] = {}
    actions: dict[Id, Action] = {}
    combat: Combat
    phases: list[Phase] = Field(min_length=1)
    outcomes: dict[Id, Outcome] = {}
    escalation: Ladder | None = None
    triggers: dict[Id, Trigger] = {}
    red_line_consequences: RedLineConsequencesModel | None = None
    coordination: Coordination = Coordination()
    linkage: Linkage | None = None
    cascade_limit: int = Field(default=8, ge=1, le=100)


# ----------------------------------------------------------------------------- scenario


class Area(Named):
    theater: Id | None = None
    """The theater of an on-map area; an off-map box may name the one it hangs off, or none."""
    kind: Id
    terrain: Id
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    controller: Id | None = None
    label: str | None = Field(default=None, min_length=1, max_length=24)
    """The short name the map view prints (defaults to ``name``)."""
    countries: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]] = []
    """ISO 3166-1 alpha-3 codes of the countries whose land the map view draws as this area;
    areas naming the same country share it, each taking the part nearest its point."""


class Actor(Named):
    side: Id
    role: Id
    controller: Literal["human", "doctrine", "search", "random"] = "doctrine"
    """Who plays the actor: a person, its doctrine, the search bot, or the random bot.
    Headless games let the doctrine stand in for a human; an actor without a doctrine is
    played at random."""
    budget: float = Field(default=0, ge=0)
    income: float = Field(default=0, ge=0)
    theater: Id | None = None
    threat_perception: dict[Id, Annotated[float, Field(ge=0, le=1)]] = {}
    initiative: int = 0
    deploys_to: list[Id] = []
    """Theaters this actor's units may enter; empty means every theater."""


class Coalition(Named):
    members: list[Id] = Field(min_length=2)
    scope: Literal["intraregional", "interregional"]
    theater: Id | None = None


class Team(Named):
    """Players of a facilitated exercise: one or more actors, played by people (each team
    sees only its own actors' view) or by their computer players."""

    actors: list[Id] = Field(min_length=1)
    player: Literal["human", "bot"] = "human"


class Force(Model):
    type: Id
    owner: Id
    area: Id
    strength: float | None = Field(default=None, gt=0)
    name: str = ""


class CalendarModel(Model):
    start: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] = "2025-01"
    months_per_turn: int = Field(default=1, ge=1, le=12)


class Scenario(Model):
    """A scenario: a map, actors and forces over a ruleset, with its own length and seed."""

    scenario: Id
    name: str
    description: str = ""
    ruleset: str
    sources: list[str] = []
    seed: int = Field(default=1, ge=0, lt=2**64)
    turns: int = Field(ge=1, le=1000)
    calendar: CalendarModel = CalendarModel()
    areas: dict[Id, Area] = Field(min_length=1)
    adjacency: list[tuple[Id, Id, Id]] = []
    actors: dict[Id, Actor] = Field(min_length=2)
    coalitions: dict[Id, Coalition] = {}
    forces: dict[UnitId, Force] = {}
    tracks: dict[Id, float | dict[Id, float]] = {}
    escalation: dict[Id, Id | int] = {}
    doctrine: str | None = None
    """Path of the doctrine file that plays the actors left to the computer."""
    flags: dict[Id, bool] = {}
    """Flags set (true) or not (false) at the start; variants switch rules on and off here."""
    triggers: dict[Id, Trigger] = {}
    red_lines: dict[Id, RedLine] = {}
    teams: dict[Id, Team] = {}
    """The teams of a facilitated exercise (``redline facilitate`` may change them)."""


# ----------------------------------------------------------------------------- doctrine


class DoctrineCandidate(Model):
    """One action a doctrine rule may choose: ``{action: sanctions, target: any, weight: 2}``."""

    action: Id
    target: str = ""
    """An id, ``any`` for any legal target, or nothing for an untargeted action."""
    weight: float = Field(default=1.0, gt=0)


class DoctrineRuleModel(Model):
    """When ``when`` holds for the actor, draw from ``do`` by weight."""

    when: Condition | None = None
    do: list[DoctrineCandidate] = Field(min_length=1)
    priority: int = 0
    stance: Literal["aggressive", "defensive", "neutral"] = "neutral"
    explain: str = ""


class ActorDoctrineModel(Model):
    personality: Id
    rules: dict[Id, DoctrineRuleModel] = {}


class PersonalityModel(Model):
    """Multipliers on rule weights by stance, and how readily units attack."""

    description: str = ""
    aggressive: float = Field(default=1.0, ge=0)
    defensive: float = Field(default=1.0, ge=0)
    neutral: float = Field(default=1.0, ge=0)
    attack_odds: float = Field(default=2.0, gt=0)
    reinforce: bool = True


class DifficultyModel(Model):
    description: str = ""
    actions: int = Field(ge=0, le=10)
    blunder: float = Field(default=0.0, ge=0, le=1)


class Doctrine(Model):
    """Scripted doctrines for the actors of a scenario."""

    doctrine: Id
    description: str = ""
    personalities: dict[Id, PersonalityModel] = Field(min_length=1)
    difficulties: dict[Id, DifficultyModel] = Field(min_length=1)
    default_difficulty: Id = "normal"
    actors: dict[Id, ActorDoctrineModel] = {}
