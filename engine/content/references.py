"""Cross-reference checks: every id a file mentions must name something that exists.

Schema validation sees one value at a time; this pass sees a whole ruleset, and a scenario
with its ruleset, and reports each dangling reference at the place it was written with the
closest valid id as a hint.  It also warns about definitions nothing uses and areas no
force can reach, which are legal but usually mistakes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from engine.content import schema as s
from engine.content.messages import suggestion
from engine.content.source import Marks, PathKey, format_path
from engine.errors import Diagnostic, Severity

_FIELD_KINDS: dict[type[BaseModel], dict[str, str]] = {
    s.TrackCondition: {"track": "track"},
    s.UnitFilter: {"actor": "actor", "side": "side", "type": "unit_type", "area": "area",
                   "theater": "theater"},
    s.ControlCondition: {"controls": "area", "actor": "actor", "side": "side"},
    s.BudgetCondition: {"budget": "actor"},
    s.AdjustEffect: {"adjust": "track"},
    s.SetEffect: {"set": "track"},
    s.BudgetEffect: {"budget": "actor"},
    s.AddUnitEffect: {"add_unit": "unit_type", "owner": "actor", "area": "area"},
    s.MoveUnitsEffect: {"to": "area"},
    s.SetControlEffect: {"set_control": "area", "actor": "actor"},
    s.MessageEffect: {"to": "recipient"},
}
_TRACK_FIELDS: dict[type[BaseModel], str] = {
    s.TrackCondition: "track", s.AdjustEffect: "adjust", s.SetEffect: "set"}

_WHAT = {"unit_type": "unit type", "recipient": "actor"}


@dataclass
class ReferenceChecker:
    """Collects reference diagnostics for one ruleset and, optionally, one scenario."""

    ruleset: s.Ruleset
    ruleset_marks: Marks
    scenario: s.Scenario | None = None
    scenario_marks: Marks | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        r = self.ruleset
        self.known: dict[str, set[str] | None] = {
            "theater": set(r.theaters), "side": set(r.sides), "terrain": set(r.terrain),
            "area_kind": set(r.area_kinds), "edge_kind": set(r.edge_kinds),
            "unit_type": set(r.unit_types), "role": set(r.roles), "track": set(r.tracks),
            "actor": set(self.scenario.actors) if self.scenario else None,
            "area": set(self.scenario.areas) if self.scenario else None,
        }
        actors = self.known["actor"]
        self.known["recipient"] = None if actors is None else actors | {"all"}

    # ------------------------------------------------------------------ reporting

    def report(self, severity: Severity, marks: Marks, path: PathKey, message: str,
               hint: str = "") -> None:
        mark = marks.locate(path)
        self.diagnostics.append(Diagnostic(severity, mark.file, mark.line, mark.column,
                                           format_path(path), message, hint))

    def ref(self, marks: Marks, path: PathKey, value: str, kind: str,
            tokens: Mapping[str, str] | None = None) -> None:
        """Check that ``value`` names a known ``kind``, or is a token of that kind here."""
        if not value:
            return
        if value.startswith("$"):
            allowed = tokens or {}
            if value not in allowed:
                self.report("error", marks, path, f"'{value}' has no meaning here",
                            "context tokens can be used only inside actions" if not allowed
                            else "tokens here: " + ", ".join(sorted(allowed)))
            elif allowed[value] != kind and not (kind == "recipient" and allowed[value] == "actor"):
                self.report("error", marks, path,
                            f"'{value}' stands for a {allowed[value]} here, not a "
                            f"{_WHAT.get(kind, kind)}")
            return
        known = self.known.get(kind)
        if known is not None and value not in known:
            what = _WHAT.get(kind, kind.replace("_", " "))
            self.report("error", marks, path, f"unknown {what} '{value}'",
                        suggestion(value, known, what))

    # ------------------------------------------------------------------ rules language

    def rule(self, marks: Marks, path: PathKey, node: object,
             tokens: Mapping[str, str] | None) -> None:
        """Check every reference inside a condition or effect tree."""
        if isinstance(node, list):
            for index, item in enumerate(node):
                self.rule(marks, (*path, index), item, tokens)
            return
        if not isinstance(node, BaseModel):
            return
        kinds = _FIELD_KINDS.get(type(node), {})
        for name, info in type(node).model_fields.items():
            value = getattr(node, name)
            key = info.alias or name
            if name in kinds and isinstance(value, str):
                self.ref(marks, (*path, key), value, kinds[name], tokens)
            elif isinstance(value, BaseModel | list):
                self.rule(marks, (*path, key), value, tokens)
        if type(node) in _TRACK_FIELDS:
            self.scope(marks, path, getattr(node, _TRACK_FIELDS[type(node)]),
                       getattr(node, "scope"), tokens)

    def scope(self, marks: Marks, path: PathKey, track_id: str, scope: str,
              tokens: Mapping[str, str] | None) -> None:
        track = self.ruleset.tracks.get(track_id)
        if track is None:
            return
        if track.scope == "global":
            if scope:
                self.report("error", marks, (*path, "scope"),
                            f"track '{track_id}' is global and takes no scope", "remove 'scope'")
        elif not scope:
            self.report("error", marks, path, f"track '{track_id}' is kept per {track.scope}",
                        f"add 'scope:' naming the {track.scope}")
        else:
            self.ref(marks, (*path, "scope"), scope, track.scope, tokens)

    # ------------------------------------------------------------------ ruleset

    def check_ruleset(self) -> None:
        r, m = self.ruleset, self.ruleset_marks
        for side_id, side in r.sides.items():
            for i, other in enumerate(side.opposes):
                self.ref(m, ("sides", side_id, "opposes", i), other, "side")
        for domain, rule in r.movement.items():
            for i, kind in enumerate(rule.areas):
                self.ref(m, ("movement", domain, "areas", i), kind, "area_kind")
            for edge in rule.edges:
                self.ref(m, ("movement", domain, "edges", edge), edge, "edge_kind")
        for action_id, action in r.actions.items():
            base = ("actions", action_id)
            for i, role in enumerate(action.roles):
                self.ref(m, (*base, "roles", i), role, "role")
            tokens = {"$self": "actor", "$theater": "theater"}
            if action.target != "none":
                tokens["$target"] = action.target
            self.rule(m, (*base, "requires"), action.requires, tokens)
            self.rule(m, (*base, "effects"), action.effects, tokens)
        seen_phases: set[str] = set()
        for i, phase in enumerate(r.phases):
            if phase.id in seen_phases:
                self.report("error", m, ("phases", i, "id"), f"phase '{phase.id}' is listed twice")
            seen_phases.add(phase.id)
        for outcome_id, outcome in r.outcomes.items():
            base = ("outcomes", outcome_id)
            self.ref(m, (*base, "track"), outcome.track, "track")
            self.ref(m, (*base, "side"), outcome.side, "side")
            self.ref(m, (*base, "actor"), outcome.actor, "actor")
            self.ref(m, (*base, "theater"), outcome.theater, "theater")
            if outcome.measure == "track":
                self.scope(m, base, outcome.track, outcome.scope, None)
        for kind in ("terrain", "area_kind", "edge_kind"):
            self._unused_in_ruleset(kind)

    def _unused_in_ruleset(self, kind: str) -> None:
        if self.scenario is None:
            return
        r, sc = self.ruleset, self.scenario
        used: set[str]
        table: Mapping[str, object]
        if kind == "terrain":
            used, table, key = {a.terrain for a in sc.areas.values()}, r.terrain, "terrain"
        elif kind == "area_kind":
            used, table, key = {a.kind for a in sc.areas.values()}, r.area_kinds, "area_kinds"
        else:
            used, table, key = {e[2] for e in sc.adjacency}, r.edge_kinds, "edge_kinds"
        for name in sorted(set(table) - used):
            self.report("warning", self.ruleset_marks, (key, name),
                        f"{kind.replace('_', ' ')} '{name}' is not used by scenario "
                        f"'{sc.scenario}'")

    # ------------------------------------------------------------------ scenario

    def check_scenario(self) -> None:
        sc, m = self.scenario, self.scenario_marks
        assert sc is not None and m is not None
        r = self.ruleset
        for area_id, area in sc.areas.items():
            base = ("areas", area_id)
            self.ref(m, (*base, "theater"), area.theater, "theater")
            self.ref(m, (*base, "kind"), area.kind, "area_kind")
            self.ref(m, (*base, "terrain"), area.terrain, "terrain")
            self.ref(m, (*base, "controller"), area.controller or "", "actor")
            offmap = area.kind in r.area_kinds and r.area_kinds[area.kind].offmap
            if not offmap and (area.lat is None or area.lon is None):
                self.report("error", m, base, f"area '{area_id}' is on the map but has no lat/lon",
                            "add 'lat:' and 'lon:' in degrees, or give it an off-map kind")
        seen_edges: dict[frozenset[str], int] = {}
        for i, (a, b, kind) in enumerate(sc.adjacency):
            self.ref(m, ("adjacency", i, 0), a, "area")
            self.ref(m, ("adjacency", i, 1), b, "area")
            self.ref(m, ("adjacency", i, 2), kind, "edge_kind")
            if a == b:
                self.report("error", m, ("adjacency", i), f"area '{a}' is linked to itself")
            pair = frozenset((a, b))
            if pair in seen_edges:
                self.report("error", m, ("adjacency", i),
                            f"{a} and {b} are already linked (entry {seen_edges[pair]})",
                            "keep one link per pair of areas")
            seen_edges.setdefault(pair, i)
        for actor_id, actor in sc.actors.items():
            base = ("actors", actor_id)
            self.ref(m, (*base, "side"), actor.side, "side")
            self.ref(m, (*base, "role"), actor.role, "role")
            self.ref(m, (*base, "theater"), actor.theater or "", "theater")
            for other in actor.threat_perception:
                self.ref(m, (*base, "threat_perception", other), other, "actor")
        for coalition_id, coalition in sc.coalitions.items():
            base = ("coalitions", coalition_id)
            for i, member in enumerate(coalition.members):
                self.ref(m, (*base, "members", i), member, "actor")
            self.ref(m, (*base, "theater"), coalition.theater or "", "theater")
        for unit_id, force in sc.forces.items():
            self._check_force(unit_id, force)
        for track_id, start in sc.tracks.items():
            self._check_start_track(track_id, start)
        self.check_ruleset()
        self._unused_scenario_definitions()
        self._unreachable_areas()

    def _check_force(self, unit_id: str, force: s.Force) -> None:
        sc, m, r = self.scenario, self.scenario_marks, self.ruleset
        assert sc is not None and m is not None
        base = ("forces", unit_id)
        self.ref(m, (*base, "type"), force.type, "unit_type")
        self.ref(m, (*base, "owner"), force.owner, "actor")
        self.ref(m, (*base, "area"), force.area, "area")
        unit_type, area = r.unit_types.get(force.type), sc.areas.get(force.area)
        if unit_type is None or area is None:
            return
        rule = r.movement.get(unit_type.domain)
        offmap = area.kind in r.area_kinds and r.area_kinds[area.kind].offmap
        if rule is not None and not offmap and area.kind not in rule.areas:
            self.report("error", m, (*base, "area"),
                        f"a {unit_type.domain} unit cannot stand in {area.kind} area '{force.area}'",
                        f"{unit_type.domain} units may stand in: {', '.join(rule.areas)}")

    def _check_start_track(self, track_id: str, start: float | dict[str, float]) -> None:
        m = self.scenario_marks
        assert m is not None
        path: PathKey = ("tracks", track_id)
        track = self.ruleset.tracks.get(track_id)
        if track is None:
            self.ref(m, path, track_id, "track")
            return
        values: dict[str, float]
        if isinstance(start, dict):
            if track.scope == "global":
                self.report("error", m, path, f"track '{track_id}' is global: give one number")
                return
            values = start
            for scope in start:
                self.ref(m, (*path, scope), scope, track.scope)
        else:
            if track.scope != "global":
                self.report("error", m, path, f"track '{track_id}' is kept per {track.scope}",
                            f"give a mapping of {track.scope} to value")
                return
            values = {"": start}
        for scope, value in values.items():
            if not track.min <= value <= track.max:
                self.report("error", m, (*path, scope) if scope else path,
                            f"{value:g} is outside the bounds of '{track_id}' "
                            f"[{track.min:g}, {track.max:g}]")

    def _unused_scenario_definitions(self) -> None:
        sc, r = self.scenario, self.ruleset
        assert sc is not None
        placed = {f.type for f in sc.forces.values()}
        added = {e.add_unit for a in r.actions.values() for e in a.effects
                 if isinstance(e, s.AddUnitEffect)}
        for name in sorted(set(r.unit_types) - placed - added):
            self.report("warning", self.ruleset_marks, ("unit_types", name),
                        f"unit type '{name}' is never placed in scenario '{sc.scenario}'")
        roles_held = {a.role for a in sc.actors.values()}
        for name in sorted(set(r.roles) - roles_held):
            self.report("warning", self.ruleset_marks, ("roles", name),
                        f"no actor of scenario '{sc.scenario}' has role '{name}'")

    def _unreachable_areas(self) -> None:
        sc, m = self.scenario, self.scenario_marks
        assert sc is not None and m is not None
        links: dict[str, set[str]] = {a: set() for a in sc.areas}
        for a, b, _ in sc.adjacency:
            if a in links and b in links:
                links[a].add(b)
                links[b].add(a)
        reached: set[str] = set()
        frontier = [f.area for f in sc.forces.values() if f.area in links]
        while frontier:
            area = frontier.pop()
            if area not in reached:
                reached.add(area)
                frontier.extend(links[area] - reached)
        for area_id in sc.areas:
            if not links[area_id]:
                self.report("warning", m, ("areas", area_id),
                            f"area '{area_id}' has no links: no unit can ever enter it",
                            "add it to 'adjacency'")
            elif sc.forces and area_id not in reached:
                self.report("warning", m, ("areas", area_id),
                            f"area '{area_id}' cannot be reached from any starting force")
