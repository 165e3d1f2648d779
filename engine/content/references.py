"""Cross-reference checks: every id a file mentions must name something that exists.

Schema validation sees one value at a time; this pass sees a whole ruleset, and a scenario
with its ruleset, and reports each dangling reference at the place it was written with the
closest valid id as a hint.  It also warns about definitions nothing uses and areas no
force can reach, which are legal but usually mistakes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from engine.content import schema as s
from engine.content.messages import suggestion
from engine.content.source import Marks, PathKey, format_path
from engine.core.board import ESCALATION_TRACK
from engine.core.compiled import EVENT_ALIASES
from engine.core.events import EVENT_TYPES
from engine.errors import Diagnostic, Severity

_FIELD_KINDS: dict[type[BaseModel], dict[str, str]] = {
    s.TrackCondition: {"track": "track"},
    s.UnitFilter: {
        "actor": "actor",
        "side": "side",
        "type": "unit_type",
        "area": "area",
        "theater": "theater",
    },
    s.ControlCondition: {"controls": "area", "actor": "actor", "side": "side"},
    s.BudgetCondition: {"budget": "actor"},
    s.AdjustEffect: {"adjust": "track"},
    s.SetEffect: {"set": "track"},
    s.BudgetEffect: {"budget": "actor"},
    s.AddUnitEffect: {"add_unit": "unit_type", "owner": "actor", "area": "area"},
    s.MoveUnitsEffect: {"to": "area"},
    s.SetControlEffect: {"set_control": "area", "actor": "actor"},
    s.MessageEffect: {"to": "recipient"},
    s.RungCondition: {"rung": "theater"},
    s.MemberCondition: {"member": "coalition", "actor": "actor"},
    s.RedLineCondition: {"red_line": "red_line"},
    s.EscalateEffect: {"escalate": "theater"},
    s.DeclareRedLineEffect: {"declare_red_line": "red_line"},
    s.RetireRedLineEffect: {"retire_red_line": "red_line"},
    s.EachMemberEffect: {"each_member": "coalition"},
}
_TRACK_FIELDS: dict[type[BaseModel], str] = {
    s.TrackCondition: "track",
    s.AdjustEffect: "adjust",
    s.SetEffect: "set",
}

_WHAT = {"unit_type": "unit type", "recipient": "actor"}

_SHARED_HINT = "remove it, unless another scenario of this ruleset uses it"
"""Rulesets are shared by scenarios, so an unused definition is only a warning."""


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
            "theater": set(r.theaters),
            "side": set(r.sides),
            "terrain": set(r.terrain),
            "area_kind": set(r.area_kinds),
            "edge_kind": set(r.edge_kinds),
            "unit_type": set(r.unit_types),
            "role": set(r.roles),
            "track": set(r.tracks),
            "actor": set(self.scenario.actors) if self.scenario else None,
            "area": set(self.scenario.areas) if self.scenario else None,
            "coalition": set(self.scenario.coalitions) if self.scenario else None,
            "red_line": set(self.scenario.red_lines) if self.scenario else None,
            "action": set(r.actions),
        }
        if r.escalation:
            self.known["track"] = set(r.tracks) | {ESCALATION_TRACK}
        self.rungs = [rung.id for rung in r.escalation.rungs] if r.escalation else []
        self.fired: set[str] = set()
        actors = self.known["actor"]
        self.known["recipient"] = None if actors is None else actors | {"all"}

    # ------------------------------------------------------------------ reporting

    def report(
        self,
        severity: Severity,
        marks: Marks,
        path: PathKey,
        message: str,
        hint: str = "",
        *,
        at_key: bool = False,
    ) -> None:
        """Record a diagnostic at ``path``: its value, or its key when ``at_key`` (a problem
        with a whole entry, such as an unused definition, belongs on the line naming it)."""
        mark = marks.locate(path, prefer_key=at_key)
        self.diagnostics.append(
            Diagnostic(
                severity, mark.file, mark.line, mark.column, format_path(path), message, hint
            )
        )

    def ref(
        self,
        marks: Marks,
        path: PathKey,
        value: str,
        kind: str,
        tokens: Mapping[str, str] | None = None,
    ) -> None:
        """Check that ``value`` names a known ``kind``, or is a token of that kind here.

        When the id is itself a mapping key (``threat_perception: {rusia: 0.7}``), the
        diagnostic points at the key rather than at the number after it.
        """
        if not value:
            return
        at_key = bool(path) and path[-1] == value
        if value.startswith("$"):
            allowed = tokens or {}
            if value not in allowed:
                self.report(
                    "error",
                    marks,
                    path,
                    f"'{value}' has no meaning here",
                    "context tokens can be used only inside actions"
                    if not allowed
                    else "tokens here: " + ", ".join(sorted(allowed)),
                    at_key=at_key,
                )
            elif allowed[value] != kind and not (kind == "recipient" and allowed[value] == "actor"):
                self.report(
                    "error",
                    marks,
                    path,
                    f"'{value}' stands for a {allowed[value]} here, not a {_WHAT.get(kind, kind)}",
                    at_key=at_key,
                )
            return
        known = self.known.get(kind)
        if known is not None and value not in known:
            what = _WHAT.get(kind, kind.replace("_", " "))
            self.report(
                "error",
                marks,
                path,
                f"unknown {what} '{value}'",
                suggestion(value, known, what),
                at_key=at_key,
            )

    # ------------------------------------------------------------------ rules language

    def rule(
        self, marks: Marks, path: PathKey, node: object, tokens: Mapping[str, str] | None
    ) -> None:
        """Check every reference inside a condition or effect tree."""
        if isinstance(node, list):
            for index, item in enumerate(node):
                self.rule(marks, (*path, index), item, tokens)
            return
        if not isinstance(node, BaseModel):
            return
        kinds = _FIELD_KINDS.get(type(node), {})
        if isinstance(node, s.EachMemberEffect):
            tokens = {**(tokens or {}), "$member": "actor"}
        elif isinstance(node, s.AdjustEffect) and node.weight and "$member" not in (tokens or {}):
            self.report(
                "error",
                marks,
                (*path, "weight"),
                f"'weight: {node.weight}' compares a coalition member with the actor: "
                "use it inside 'each_member'",
            )
        for name, info in type(node).model_fields.items():
            value = getattr(node, name)
            key = info.alias or name
            if name in kinds and isinstance(value, str):
                self.ref(marks, (*path, key), value, kinds[name], tokens)
            elif isinstance(value, BaseModel | list):
                self.rule(marks, (*path, key), value, tokens)
        if type(node) in _TRACK_FIELDS:
            self.scope(
                marks,
                path,
                getattr(node, _TRACK_FIELDS[type(node)]),
                str(getattr(node, "scope", "")),
                tokens,
            )
        if isinstance(node, s.RungCondition):
            op, value = node.comparison()
            self.rung(marks, (*path, op), value)
        elif isinstance(node, s.EscalateEffect) and node.to is not None:
            self.rung(marks, (*path, "to"), node.to)
        elif isinstance(node, s.HappenedCondition):
            self.happened(marks, (*path, "happened"), node.happened, tokens)
        elif isinstance(node, s.FireEffect):
            self.fired.add(node.fire)

    def rung(self, marks: Marks, path: PathKey, value: str | int) -> None:
        if not self.rungs:
            self.report(
                "error",
                marks,
                path,
                "this ruleset has no escalation ladder",
                "define 'escalation: {rungs: [...]}' in the ruleset",
            )
        elif isinstance(value, int):
            if not 0 <= value < len(self.rungs):
                self.report(
                    "error",
                    marks,
                    path,
                    f"rung {value} is off the ladder (0 to {len(self.rungs) - 1})",
                )
        elif value not in self.rungs:
            self.report(
                "error",
                marks,
                path,
                f"unknown rung '{value}'",
                suggestion(value, self.rungs, "rung"),
            )

    def happened(
        self, marks: Marks, path: PathKey, fields: dict[str, str], tokens: Mapping[str, str] | None
    ) -> None:
        kind = fields.get("event", "")
        event_type = EVENT_TYPES.get(EVENT_ALIASES.get(kind, kind))
        if event_type is None:
            self.report(
                "error",
                marks,
                (*path, "event"),
                f"unknown event kind '{kind}'",
                suggestion(kind, [*EVENT_TYPES, *EVENT_ALIASES], "event kind"),
            )
            return
        allowed = {f.name for f in dataclasses.fields(event_type)} - {"turn", "phase", "cause"}
        allowed |= {"side", "event"} | ({"area"} if event_type.kind == "unit_moved" else set())
        for name, value in fields.items():
            if name not in allowed:
                self.report(
                    "error",
                    marks,
                    (*path, name),
                    f"'{kind}' events have no field '{name}'",
                    suggestion(name, allowed - {"event"}, "field"),
                )
            elif name in ("actor", "owner", "to", "declared_by") and value.startswith("$"):
                self.ref(marks, (*path, name), value, "actor", tokens)

    def scope(
        self,
        marks: Marks,
        path: PathKey,
        track_id: str,
        scope: str,
        tokens: Mapping[str, str] | None,
    ) -> None:
        track = self.ruleset.tracks.get(track_id)
        if track is None:
            return
        if track.scope == "global":
            if scope:
                self.report(
                    "error",
                    marks,
                    (*path, "scope"),
                    f"track '{track_id}' is global and takes no scope",
                    "remove 'scope'",
                )
        elif not scope:
            self.report(
                "error",
                marks,
                path,
                f"track '{track_id}' is kept per {track.scope}",
                f"add 'scope:' naming the {track.scope}",
            )
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
            if action.requires is not None and _mentions_chance(action.requires):
                self.report(
                    "error",
                    m,
                    (*base, "requires"),
                    f"action '{action_id}' draws a 'chance' in its requirement, which is "
                    "checked more than once a turn",
                    "roll the dice in a trigger instead",
                )
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
        if r.escalation and ESCALATION_TRACK in r.tracks:
            self.report(
                "error",
                m,
                ("tracks", ESCALATION_TRACK),
                f"'{ESCALATION_TRACK}' is kept by the escalation ladder",
                "rename this track or drop the ladder",
            )
        self.triggers(m, r.triggers)
        consequences = r.red_line_consequences
        if consequences is not None:
            where: PathKey = ("red_line_consequences",)
            self.ref(m, (*where, "credibility_track"), consequences.credibility_track, "track")
            self.ref(m, (*where, "assurance_track"), consequences.assurance_track or "", "track")
            self._expect_scope(
                m, (*where, "assurance_track"), consequences.assurance_track, "actor"
            )
        if r.linkage is not None:
            self.ref(m, ("linkage", "track"), r.linkage.track, "track")
            self.ref(m, ("linkage", "side"), r.linkage.side, "side")
            self._expect_scope(m, ("linkage", "track"), r.linkage.track, "theater")
        self._phase_coverage()
        if self.scenario is None:
            self._static_checks()

    def _phase_coverage(self) -> None:
        """Warn about rules that no phase of the turn ever runs."""
        r, m = self.ruleset, self.ruleset_marks
        resolved = {c for phase in r.phases if phase.kind == "actions" for c in phase.categories}
        for action_id, action in r.actions.items():
            if action.category not in resolved:
                self.report(
                    "warning",
                    m,
                    ("actions", action_id, "category"),
                    f"action '{action_id}' is never resolved: no actions phase lists "
                    f"'{action.category}'",
                    "add the category to an actions phase",
                )
        has_triggers_phase = any(phase.kind == "triggers" for phase in r.phases)
        uses_triggers = bool(r.triggers) or bool(
            self.scenario and (self.scenario.triggers or self.scenario.red_lines)
        )
        if uses_triggers and not has_triggers_phase:
            self.report(
                "warning",
                m,
                ("phases",),
                "triggers and red lines are checked only in a 'triggers' phase, and "
                "this ruleset has none",
                "add '{id: consequences, kind: triggers}'",
            )

    def _expect_scope(self, marks: Marks, path: PathKey, track_id: str | None, scope: str) -> None:
        track = self.ruleset.tracks.get(track_id or "")
        if track is not None and track.scope != scope:
            self.report(
                "error",
                marks,
                path,
                f"track '{track_id}' must be kept per {scope} here (it is kept per {track.scope})",
            )

    def triggers(self, marks: Marks, triggers: Mapping[str, s.Trigger]) -> None:
        for trigger_id, trigger in triggers.items():
            base = ("triggers", trigger_id)
            self.rule(marks, (*base, "when"), trigger.when, None)
            self.rule(marks, (*base, "effects"), trigger.effects, None)
            self._never_true(marks, (*base, "when"), trigger.when, trigger_id)

    def _never_true(self, marks: Marks, path: PathKey, node: object, trigger_id: str) -> None:
        """Warn about track comparisons that no value within the track's bounds satisfies."""
        if isinstance(node, s.AllOf):
            for i, item in enumerate(node.all):
                self._never_true(marks, (*path, "all", i), item, trigger_id)
        elif isinstance(node, s.TrackCondition):
            track = self.ruleset.tracks.get(node.track)
            if track is None:
                return
            op, value = node.comparison()
            impossible = {
                "gt": value >= track.max,
                "ge": value > track.max,
                "lt": value <= track.min,
                "le": value < track.min,
                "eq": not track.min <= value <= track.max,
            }.get(op, False)
            if impossible:
                self.report(
                    "error",
                    marks,
                    path,
                    f"trigger '{trigger_id}' can never fire: '{node.track}' stays within "
                    f"[{track.min:g}, {track.max:g}]",
                    "compare with a value inside the bounds",
                )
        elif isinstance(node, s.ChanceCondition) and node.chance == 0:
            self.report(
                "error", marks, path, f"trigger '{trigger_id}' can never fire: its chance is 0"
            )

    def _all_triggers(self) -> dict[str, s.Trigger]:
        merged = dict(self.ruleset.triggers)
        if self.scenario is not None:
            merged.update(self.scenario.triggers)
        return merged

    def _trigger_marks(self, trigger_id: str) -> Marks:
        if self.scenario is not None and trigger_id in self.scenario.triggers:
            assert self.scenario_marks is not None
            return self.scenario_marks
        return self.ruleset_marks

    def _static_checks(self) -> None:
        """Listeners nobody calls, and cycles of named events between triggers."""
        triggers = self._all_triggers()
        for trigger_id, trigger in sorted(triggers.items()):
            if trigger.on and trigger.on not in self.fired:
                self.report(
                    "warning",
                    self._trigger_marks(trigger_id),
                    ("triggers", trigger_id, "on"),
                    f"trigger '{trigger_id}' listens for '{trigger.on}', which no effect "
                    "fires: it can never fire",
                    "add '{fire: " + trigger.on + "}' somewhere, or fix the name",
                )
        raises = {
            tid: sorted({e.fire for e in t.effects if isinstance(e, s.FireEffect)})
            for tid, t in triggers.items()
        }
        listeners: dict[str, list[str]] = {}
        for tid, trigger in sorted(triggers.items()):
            if trigger.on:
                listeners.setdefault(trigger.on, []).append(tid)
        reported: set[frozenset[str]] = set()
        for start in sorted(triggers):
            cycle = self._find_cycle(start, raises, listeners)
            if cycle and frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                self.report(
                    "warning",
                    self._trigger_marks(start),
                    ("triggers", start),
                    "trigger cycle: " + " -> ".join([*cycle, cycle[0]]),
                    f"the cascade limit ({self.ruleset.cascade_limit}) will cut it; "
                    "make one of them 'once' or break the chain",
                )

    @staticmethod
    def _find_cycle(
        start: str, raises: Mapping[str, list[str]], listeners: Mapping[str, list[str]]
    ) -> list[str]:
        path: list[str] = []

        def visit(trigger: str) -> list[str]:
            if trigger in path:
                return path[path.index(trigger) :] if trigger == start else []
            path.append(trigger)
            for name in raises.get(trigger, []):
                for nxt in listeners.get(name, []):
                    if nxt == start or nxt not in path:
                        found = visit(nxt)
                        if found:
                            return found
            path.pop()
            return []

        return visit(start)

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
            self.report(
                "warning",
                self.ruleset_marks,
                (key, name),
                f"{kind.replace('_', ' ')} '{name}' is not used by scenario '{sc.scenario}'",
                _SHARED_HINT,
                at_key=True,
            )

    # ------------------------------------------------------------------ scenario

    def check_scenario(self) -> None:
        sc, m = self.scenario, self.scenario_marks
        assert sc is not None and m is not None
        r = self.ruleset
        for area_id, area in sc.areas.items():
            base = ("areas", area_id)
            self.ref(m, (*base, "theater"), area.theater or "", "theater")
            self.ref(m, (*base, "kind"), area.kind, "area_kind")
            self.ref(m, (*base, "terrain"), area.terrain, "terrain")
            self.ref(m, (*base, "controller"), area.controller or "", "actor")
            offmap = area.kind in r.area_kinds and r.area_kinds[area.kind].offmap
            if not offmap and area.theater is None:
                self.report(
                    "error",
                    m,
                    base,
                    f"area '{area_id}' is on the map but in no theater",
                    "add 'theater:'",
                )
            if offmap and area.countries:
                self.report(
                    "error",
                    m,
                    (*base, "countries"),
                    f"area '{area_id}' is off the map and cannot cover countries",
                    "only an area on the map is drawn over countries",
                )
            if not offmap and (area.lat is None or area.lon is None):
                self.report(
                    "error",
                    m,
                    base,
                    f"area '{area_id}' is on the map but has no lat/lon",
                    "add 'lat:' and 'lon:' in degrees, or give it an off-map kind",
                    at_key=True,
                )
        seen_edges: dict[frozenset[str], int] = {}
        for i, (a, b, kind) in enumerate(sc.adjacency):
            self.ref(m, ("adjacency", i, 0), a, "area")
            self.ref(m, ("adjacency", i, 1), b, "area")
            self.ref(m, ("adjacency", i, 2), kind, "edge_kind")
            if a == b:
                self.report("error", m, ("adjacency", i), f"area '{a}' is linked to itself")
            pair = frozenset((a, b))
            if pair in seen_edges:
                self.report(
                    "error",
                    m,
                    ("adjacency", i),
                    f"{a} and {b} are already linked (entry {seen_edges[pair]})",
                    "keep one link per pair of areas",
                )
            seen_edges.setdefault(pair, i)
        for actor_id, actor in sc.actors.items():
            base = ("actors", actor_id)
            self.ref(m, (*base, "side"), actor.side, "side")
            self.ref(m, (*base, "role"), actor.role, "role")
            self.ref(m, (*base, "theater"), actor.theater or "", "theater")
            for i, theater in enumerate(actor.deploys_to):
                self.ref(m, (*base, "deploys_to", i), theater, "theater")
            for other in actor.threat_perception:
                self.ref(m, (*base, "threat_perception", other), other, "actor")
        for coalition_id, coalition in sc.coalitions.items():
            base = ("coalitions", coalition_id)
            for i, member in enumerate(coalition.members):
                self.ref(m, (*base, "members", i), member, "actor")
            self.ref(m, (*base, "theater"), coalition.theater or "", "theater")
        self._check_teams()
        for unit_id, force in sc.forces.items():
            self._check_force(unit_id, force)
        for track_id, start in sc.tracks.items():
            self._check_start_track(track_id, start)
        for theater, rung in sc.escalation.items():
            self.ref(m, ("escalation", theater), theater, "theater")
            self.rung(m, ("escalation", theater), rung)
        self.triggers(m, sc.triggers)
        for line_id, line in sc.red_lines.items():
            self._check_red_line(line_id, line)
        self.check_ruleset()
        self._static_checks()
        self._unused_scenario_definitions()
        self._unreachable_areas()

    def _check_red_line(self, line_id: str, line: s.RedLine) -> None:
        m = self.scenario_marks
        assert m is not None
        base = ("red_lines", line_id)
        self.ref(m, (*base, "declared_by"), line.declared_by, "actor")
        self.ref(m, (*base, "against"), line.against, "actor")
        self.ref(m, (*base, "theater"), line.theater, "theater")
        tokens = {"$self": "actor", "$target": "actor", "$theater": "theater"}
        self.rule(m, (*base, "crossed_when"), line.crossed_when, tokens)
        if not line.response:
            self.report(
                "error",
                m,
                base,
                f"red line '{line_id}' has no response",
                "list under 'response:' the actions that enforce it",
            )
        for i, action in enumerate(line.response):
            self.ref(m, (*base, "response", i), action, "action")
        if line.window == 0 and not self._actions_after_triggers():
            self.report(
                "warning",
                m,
                (*base, "window"),
                f"red line '{line_id}' can never be enforced with window 0: no actions "
                "phase follows the triggers phase that detects the crossing",
                "give at least 'window: 1'",
            )
        if self.ruleset.red_line_consequences is None:
            self.report(
                "warning",
                m,
                base,
                "the ruleset sets no 'red_line_consequences': "
                "enforcing or failing this red line changes nothing",
            )

    def _actions_after_triggers(self) -> bool:
        kinds = [phase.kind for phase in self.ruleset.phases]
        return "triggers" in kinds and "actions" in kinds[kinds.index("triggers") + 1 :]

    def _check_teams(self) -> None:
        """Team members are actors, each on one team at most."""
        sc, m = self.scenario, self.scenario_marks
        assert sc is not None and m is not None
        team_of: dict[str, str] = {}
        for team_id, team in sc.teams.items():
            for i, actor in enumerate(team.actors):
                path = ("teams", team_id, "actors", i)
                self.ref(m, path, actor, "actor")
                if actor in team_of:
                    self.report(
                        "error",
                        m,
                        path,
                        f"'{actor}' is already on team '{team_of[actor]}'",
                        "an actor plays on one team",
                    )
                team_of.setdefault(actor, team_id)

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
            self.report(
                "error",
                m,
                (*base, "area"),
                f"a {unit_type.domain} unit cannot stand in {area.kind} area '{force.area}'",
                f"{unit_type.domain} units may stand in: {', '.join(rule.areas)}",
            )

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
                self.report(
                    "error",
                    m,
                    path,
                    f"track '{track_id}' is kept per {track.scope}",
                    f"give a mapping of {track.scope} to value",
                )
                return
            values = {"": start}
        for scope, value in values.items():
            if not track.min <= value <= track.max:
                self.report(
                    "error",
                    m,
                    (*path, scope) if scope else path,
                    f"{value:g} is outside the bounds of '{track_id}' "
                    f"[{track.min:g}, {track.max:g}]",
                )

    def _unused_scenario_definitions(self) -> None:
        sc, r = self.scenario, self.ruleset
        assert sc is not None
        placed = {f.type for f in sc.forces.values()}
        added = {
            e.add_unit
            for a in r.actions.values()
            for e in a.effects
            if isinstance(e, s.AddUnitEffect)
        }
        for name in sorted(set(r.unit_types) - placed - added):
            self.report(
                "warning",
                self.ruleset_marks,
                ("unit_types", name),
                f"unit type '{name}' is never placed in scenario '{sc.scenario}'",
                _SHARED_HINT,
                at_key=True,
            )
        roles_held = {a.role for a in sc.actors.values()}
        for name in sorted(set(r.roles) - roles_held):
            self.report(
                "warning",
                self.ruleset_marks,
                ("roles", name),
                f"no actor of scenario '{sc.scenario}' has role '{name}'",
                _SHARED_HINT,
                at_key=True,
            )

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
                self.report(
                    "warning",
                    m,
                    ("areas", area_id),
                    f"area '{area_id}' has no links: no unit can ever enter it",
                    "add it to 'adjacency'",
                    at_key=True,
                )
            elif sc.forces and area_id not in reached:
                self.report(
                    "warning",
                    m,
                    ("areas", area_id),
                    f"area '{area_id}' cannot be reached from any starting force",
                    "link it to the rest of the map in 'adjacency'",
                    at_key=True,
                )


def check_doctrine(checker: ReferenceChecker, doctrine: s.Doctrine, marks: Marks) -> None:
    """Every id a doctrine names must exist, and every action must be open to its actor."""
    sc = checker.scenario
    assert sc is not None
    if doctrine.default_difficulty not in doctrine.difficulties:
        checker.report(
            "error",
            marks,
            ("default_difficulty",),
            f"unknown difficulty '{doctrine.default_difficulty}'",
            suggestion(doctrine.default_difficulty, doctrine.difficulties, "difficulty"),
        )
    tokens = {"$self": "actor", "$theater": "theater"}
    for actor_id, plan in doctrine.actors.items():
        base: PathKey = ("actors", actor_id)
        checker.ref(marks, base, actor_id, "actor")
        if plan.personality not in doctrine.personalities:
            checker.report(
                "error",
                marks,
                (*base, "personality"),
                f"unknown personality '{plan.personality}'",
                suggestion(plan.personality, doctrine.personalities, "personality"),
            )
        actor = sc.actors.get(actor_id)
        for rule_id, rule in plan.rules.items():
            where: PathKey = (*base, "rules", rule_id)
            checker.rule(marks, (*where, "when"), rule.when, tokens)
            for i, candidate in enumerate(rule.do):
                _check_candidate(checker, marks, (*where, "do", i), candidate, actor)
    for actor_id in sorted(set(sc.actors) - set(doctrine.actors)):
        checker.report(
            "warning",
            marks,
            ("actors",),
            f"actor '{actor_id}' has no doctrine: the computer plays it at random",
        )


def _check_candidate(
    checker: ReferenceChecker,
    marks: Marks,
    path: PathKey,
    candidate: s.DoctrineCandidate,
    actor: s.Actor | None,
) -> None:
    action = checker.ruleset.actions.get(candidate.action)
    if action is None:
        checker.ref(marks, (*path, "action"), candidate.action, "action")
        return
    if actor is not None and actor.role not in action.roles:
        checker.report(
            "error",
            marks,
            (*path, "action"),
            f"'{candidate.action}' is not open to a {actor.role}",
            f"it is open to: {', '.join(action.roles)}",
        )
    if action.target == "none":
        if candidate.target:
            checker.report(
                "error",
                marks,
                (*path, "target"),
                f"'{candidate.action}' takes no target",
                "remove 'target'",
            )
    elif not candidate.target:
        checker.report(
            "error",
            marks,
            (*path, "target"),
            f"'{candidate.action}' needs a target {action.target}",
            "name one, or write 'target: any'",
        )
    elif candidate.target != "any":
        checker.ref(marks, (*path, "target"), candidate.target, action.target)


def _mentions_chance(node: object) -> bool:
    """Whether a condition tree contains a ``chance`` anywhere."""
    if isinstance(node, s.ChanceCondition):
        return True
    if isinstance(node, list):
        return any(_mentions_chance(item) for item in node)
    if isinstance(node, BaseModel):
        return any(_mentions_chance(getattr(node, name)) for name in type(node).model_fields)
    return False
