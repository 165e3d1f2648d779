"""The compiled game definition: a ruleset and a scenario joined, checked and indexed.

:mod:`engine.content` validates YAML and builds one :class:`GameSpec`; the engine only ever
reads it.  Everything here is a frozen value with tuples and small mappings, and the indexes
(adjacency, track slots, area positions) are built once in ``GameSpec.__post_init__`` so the
turn loop never searches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from engine.core.language import ALWAYS, Condition, Effect

Domain = Literal["land", "sea", "air", "missile", "nuclear"]
Scope = Literal["global", "actor", "theater"]
Category = Literal["diplomatic", "informational", "military", "economic"]
TargetKind = Literal["none", "actor", "area", "theater", "coalition", "red_line"]
PhaseKind = Literal["actions", "movement", "combat", "triggers", "upkeep"]
JointKind = Literal["", "operation", "solidarity"]
RedLineStatus = Literal["inactive", "armed", "crossed", "enforced", "failed", "expired", "retired"]
Statistic = Literal["final", "min", "max", "mean"]

DOMAINS: tuple[Domain, ...] = ("land", "sea", "air", "missile", "nuclear")
CATEGORIES: tuple[Category, ...] = ("diplomatic", "informational", "military", "economic")


@dataclass(frozen=True, slots=True)
class TheaterSpec:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class SideSpec:
    id: str
    name: str
    color: str
    opposes: frozenset[str]


@dataclass(frozen=True, slots=True)
class TerrainSpec:
    id: str
    name: str
    defense: float


@dataclass(frozen=True, slots=True)
class AreaKindSpec:
    id: str
    name: str
    offmap: bool
    controllable: bool
    """Whether land forces take control of an area of this kind by holding it."""


@dataclass(frozen=True, slots=True)
class MovementRule:
    """Where a domain may go: which area kinds it may enter and what each edge kind costs."""

    domain: Domain
    area_kinds: frozenset[str]
    edge_costs: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class UnitTypeSpec:
    id: str
    name: str
    domain: Domain
    strength: float
    movement: int
    cost: float
    symbol: str
    range: int
    """How many areas away the unit can attack; 1 means adjacent areas only."""


@dataclass(frozen=True, slots=True)
class RoleSpec:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class TrackSpec:
    id: str
    name: str
    scope: Scope
    minimum: float
    maximum: float
    default: float
    decay_toward: float | None = None
    decay_rate: float = 0.0
    """Fraction of the distance to ``decay_toward`` that is lost in each upkeep phase."""
    public: bool = False
    """An actor-scoped track every actor may see (otherwise only the owner's side)."""

    def clamp(self, value: float) -> float:
        return float(min(self.maximum, max(self.minimum, value)))


@dataclass(frozen=True, slots=True)
class ActionSpec:
    id: str
    name: str
    category: Category
    roles: frozenset[str]
    cost: float
    target: TargetKind
    requires: Condition = ALWAYS
    effects: tuple[Effect, ...] = ()
    description: str = ""
    joint: JointKind = ""
    """A joint action is taken on behalf of a coalition (its target): ``operation`` pays the
    coalition's coordination cost and gains its mass; ``solidarity`` is cheap and modest."""


@dataclass(frozen=True, slots=True)
class CombatTable:
    """A classic odds combat results table.

    ``columns`` are attacker:defender ratios in ascending order; ``rows[die - 1][column]`` is
    ``(attacker_loss, defender_loss)`` as fractions of the strength engaged.
    """

    die: int
    columns: tuple[float, ...]
    rows: tuple[tuple[tuple[float, float], ...], ...]
    destroyed_below: float

    def column_for(self, ratio: float) -> int:
        chosen = 0
        for index, threshold in enumerate(self.columns):
            if ratio >= threshold:
                chosen = index
        return chosen


@dataclass(frozen=True, slots=True)
class PhaseSpec:
    id: str
    name: str
    kind: PhaseKind
    categories: tuple[Category, ...] = ()


@dataclass(frozen=True, slots=True)
class LadderSpec:
    """The escalation ladder every theater climbs: rung ids from lowest to highest."""

    rungs: tuple[str, ...]
    names: tuple[str, ...]

    @property
    def top(self) -> int:
        return len(self.rungs) - 1


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    """A rule that fires effects when its condition holds (or when its named event is raised).

    ``once`` triggers are spent before their effects run, so they cannot re-fire themselves;
    repeating ones wait ``cooldown`` turns between firings.  Higher ``priority`` runs first.
    """

    id: str
    when: Condition
    effects: tuple[Effect, ...]
    once: bool = True
    cooldown: int = 0
    priority: int = 0
    on: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class RedLineSpec:
    """A declared threshold: crossing it commits ``declared_by`` to respond within ``window``."""

    id: str
    name: str
    declared_by: str
    against: str
    theater: str
    crossed_when: Condition
    response: frozenset[str]
    window: int
    clarity: Literal["explicit", "ambiguous"]
    visibility: Literal["public", "private"]
    armed: bool
    """Armed from the start; otherwise it waits for a ``declare_red_line`` effect."""
    expires_after: int = 0
    """Turns after arming at which an uncrossed red line lapses (0: never)."""


@dataclass(frozen=True, slots=True)
class RedLineConsequences:
    """How enforcing or failing a red line moves credibility and allies' assurance.

    Credibility moves by the full amount in the red line's theater and by
    ``other_theater_weight`` of it elsewhere (a theater-scoped track), or once for the
    declaring actor (an actor-scoped track).  Each other actor of the declaring side
    has its assurance moved by the amount times its threat perception of the violator.
    Ambiguous red lines scale everything by ``ambiguous_factor``.
    """

    credibility_track: str = ""
    assurance_track: str = ""
    enforced_credibility: float = 0.0
    failed_credibility: float = 0.0
    enforced_assurance: float = 0.0
    failed_assurance: float = 0.0
    other_theater_weight: float = 1.0
    ambiguous_factor: float = 0.5


@dataclass(frozen=True, slots=True)
class CoordinationSpec:
    """How coalition size and divergent threat perceptions change joint actions.

    ``coordination = base[scope] + divergence_weight * divergence`` where divergence is the
    mean pairwise distance between members' threat perceptions (0 to 1).  An operation costs
    ``cost * (1 + coordination)`` and its track effects are scaled by
    ``(1 + mass_per_member * (members - 1)) / (1 + coordination)``; a solidarity action costs
    ``cost * (1 + solidarity_share * coordination)`` and scales by
    ``1 + solidarity_per_member * (members - 1)``.
    """

    intraregional_base: float = 0.0
    interregional_base: float = 0.0
    divergence_weight: float = 0.0
    mass_per_member: float = 0.0
    solidarity_share: float = 0.0
    solidarity_per_member: float = 0.0


@dataclass(frozen=True, slots=True)
class LinkageSpec:
    """How commitments elsewhere and crises elsewhere open chances in a theater.

    The engine writes ``track`` (theater scope) for every theater after movement, combat
    and upkeep: ``base + absence_weight * (1 - share) + distraction_weight * rungs`` where
    ``share`` is the fraction of ``side``'s strength that counts for that theater and
    ``rungs`` the mean escalation of the other theaters as a fraction of the ladder's top.
    Strength deployed in the theater counts fully; strength elsewhere (the other theater or
    an off-map box) counts ``reserve_weight`` of itself when its owner may deploy to the
    theater, so the mere option of reinforcing deters.
    """

    track: str
    side: str
    base: float = 0.0
    absence_weight: float = 0.0
    distraction_weight: float = 0.0
    reserve_weight: float = 0.0


@dataclass(frozen=True, slots=True)
class OutcomeSpec:
    """A measure computed over a whole game.

    ``kind`` selects what is observed each turn: ``track`` (one track slot), ``strength``
    (a side's or actor's total unit strength), ``control_changed`` (areas whose controller
    differs from the start, optionally within a theater) or ``flag`` (1 when set).
    ``statistic`` folds the per-turn values.
    """

    id: str
    name: str
    kind: Literal["track", "strength", "control_changed", "flag"]
    statistic: Statistic = "final"
    track: str = ""
    scope: str = ""
    side: str = ""
    actor: str = ""
    theater: str = ""
    flag: str = ""


@dataclass(frozen=True, slots=True)
class AreaSpec:
    id: str
    name: str
    theater: str
    """Theater id; off-map boxes name the theater they hang off, or ``""``."""
    kind: str
    terrain: str
    lat: float | None
    lon: float | None
    controller: str
    offmap: bool
    countries: tuple[str, ...] = ()
    """ISO alpha-3 codes of the countries the map view draws as this area."""
    label: str = ""
    """The short name the map view prints; empty means ``name``."""


@dataclass(frozen=True, slots=True)
class EdgeSpec:
    a: str
    b: str
    kind: str


@dataclass(frozen=True, slots=True)
class ActorSpec:
    id: str
    name: str
    side: str
    role: str
    controller: str
    budget: float
    income: float
    theater: str
    """Home theater, or ``""`` for a global power."""
    threat_perception: Mapping[str, float]
    initiative: int
    deploys_to: frozenset[str] = frozenset()
    """Theaters this actor's units may enter; empty means every theater."""

    def may_enter(self, theater: str, offmap: bool) -> bool:
        """Off-map boxes are always open; on-map areas only in the permitted theaters."""
        return offmap or not self.deploys_to or theater in self.deploys_to


@dataclass(frozen=True, slots=True)
class CoalitionSpec:
    id: str
    name: str
    members: tuple[str, ...]
    scope: Literal["intraregional", "interregional"]
    theater: str


@dataclass(frozen=True, slots=True)
class UnitSetup:
    id: str
    unit_type: str
    owner: str
    area: str
    strength: float


@dataclass(frozen=True, slots=True)
class Calendar:
    start_year: int
    start_month: int
    months_per_turn: int

    def label(self, turn: int) -> str:
        """The date at the start of ``turn`` (1-based) as ``YYYY-MM``."""
        months = (self.start_month - 1) + (turn - 1) * self.months_per_turn
        return f"{self.start_year + months // 12:04d}-{months % 12 + 1:02d}"


@dataclass(frozen=True)
class GameSpec:
    """Everything the engine needs to play one scenario."""

    scenario_id: str
    scenario_name: str
    ruleset_id: str
    theaters: tuple[TheaterSpec, ...]
    sides: tuple[SideSpec, ...]
    terrains: tuple[TerrainSpec, ...]
    area_kinds: tuple[AreaKindSpec, ...]
    movement: tuple[MovementRule, ...]
    unit_types: tuple[UnitTypeSpec, ...]
    roles: tuple[RoleSpec, ...]
    tracks: tuple[TrackSpec, ...]
    actions: tuple[ActionSpec, ...]
    combat: CombatTable
    phases: tuple[PhaseSpec, ...]
    outcomes: tuple[OutcomeSpec, ...]
    areas: tuple[AreaSpec, ...]
    edges: tuple[EdgeSpec, ...]
    actors: tuple[ActorSpec, ...]
    coalitions: tuple[CoalitionSpec, ...]
    forces: tuple[UnitSetup, ...]
    track_start: Mapping[tuple[str, str], float]
    turns: int
    calendar: Calendar
    seed: int
    ladder: LadderSpec | None = None
    triggers: tuple[TriggerSpec, ...] = ()
    red_lines: tuple[RedLineSpec, ...] = ()
    red_line_consequences: RedLineConsequences = RedLineConsequences()
    coordination: CoordinationSpec = CoordinationSpec()
    linkage: LinkageSpec | None = None
    cascade_limit: int = 8
    start_flags: tuple[str, ...] = ()

    # Indexes, derived once.
    area_by_id: Mapping[str, AreaSpec] = field(init=False, repr=False, compare=False)
    area_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    neighbours: Mapping[str, tuple[tuple[str, str], ...]] = field(
        init=False, repr=False, compare=False
    )
    actor_by_id: Mapping[str, ActorSpec] = field(init=False, repr=False, compare=False)
    actor_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    unit_type_by_id: Mapping[str, UnitTypeSpec] = field(init=False, repr=False, compare=False)
    track_by_id: Mapping[str, TrackSpec] = field(init=False, repr=False, compare=False)
    track_slots: Mapping[tuple[str, str], int] = field(init=False, repr=False, compare=False)
    track_keys: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)
    action_by_id: Mapping[str, ActionSpec] = field(init=False, repr=False, compare=False)
    side_by_id: Mapping[str, SideSpec] = field(init=False, repr=False, compare=False)
    terrain_by_id: Mapping[str, TerrainSpec] = field(init=False, repr=False, compare=False)
    area_kind_by_id: Mapping[str, AreaKindSpec] = field(init=False, repr=False, compare=False)
    coalition_by_id: Mapping[str, CoalitionSpec] = field(init=False, repr=False, compare=False)
    red_line_by_id: Mapping[str, RedLineSpec] = field(init=False, repr=False, compare=False)
    red_line_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    hostile_pairs: frozenset[tuple[str, str]] = field(init=False, repr=False, compare=False)
    """Ordered pairs of actors whose sides oppose each other (either way round)."""
    movement_by_domain: Mapping[str, MovementRule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "area_by_id", MappingProxyType({a.id: a for a in self.areas}))
        set_(self, "area_index", MappingProxyType({a.id: i for i, a in enumerate(self.areas)}))
        links: dict[str, list[tuple[str, str]]] = {a.id: [] for a in self.areas}
        for edge in self.edges:
            links[edge.a].append((edge.b, edge.kind))
            links[edge.b].append((edge.a, edge.kind))
        set_(self, "neighbours", MappingProxyType({k: tuple(sorted(v)) for k, v in links.items()}))
        set_(self, "actor_by_id", MappingProxyType({a.id: a for a in self.actors}))
        set_(self, "actor_index", MappingProxyType({a.id: i for i, a in enumerate(self.actors)}))
        set_(self, "unit_type_by_id", MappingProxyType({u.id: u for u in self.unit_types}))
        set_(self, "track_by_id", MappingProxyType({t.id: t for t in self.tracks}))
        keys: list[tuple[str, str]] = []
        for track in self.tracks:
            if track.scope == "global":
                keys.append((track.id, ""))
            elif track.scope == "actor":
                keys.extend((track.id, actor.id) for actor in self.actors)
            else:
                keys.extend((track.id, theater.id) for theater in self.theaters)
        set_(self, "track_keys", tuple(keys))
        set_(self, "track_slots", MappingProxyType({key: i for i, key in enumerate(keys)}))
        set_(self, "action_by_id", MappingProxyType({a.id: a for a in self.actions}))
        set_(self, "side_by_id", MappingProxyType({s.id: s for s in self.sides}))
        opposed = {
            (a.id, b.id)
            for a in self.actors
            for b in self.actors
            if b.side in self.side_by_id[a.side].opposes
            or a.side in self.side_by_id[b.side].opposes
        }
        set_(self, "hostile_pairs", frozenset(opposed))
        set_(self, "coalition_by_id", MappingProxyType({c.id: c for c in self.coalitions}))
        set_(self, "red_line_by_id", MappingProxyType({r.id: r for r in self.red_lines}))
        set_(
            self,
            "red_line_index",
            MappingProxyType({r.id: i for i, r in enumerate(self.red_lines)}),
        )
        set_(self, "area_kind_by_id", MappingProxyType({k.id: k for k in self.area_kinds}))
        set_(self, "terrain_by_id", MappingProxyType({t.id: t for t in self.terrains}))
        set_(self, "movement_by_domain", MappingProxyType({m.domain: m for m in self.movement}))

    def are_hostile(self, actor_a: str, actor_b: str) -> bool:
        return (actor_a, actor_b) in self.hostile_pairs

    def edge_kind(self, a: str, b: str) -> str | None:
        for other, kind in self.neighbours[a]:
            if other == b:
                return kind
        return None


def defender_side(spec: GameSpec) -> str:
    """The side that declares red lines (the United States and its allies in the default
    scenario); without red lines, the first side listed."""
    sides = sorted({spec.actor_by_id[r.declared_by].side for r in spec.red_lines})
    return sides[0] if sides else spec.sides[0].id
