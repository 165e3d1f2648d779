"""Bad-input tests for the content loader: each authoring mistake gives the diagnostic an
author needs, with file, line, column, field path, message and hint all checked literally.

Every test copies the shipped tutorial ruleset and scenario into a temporary folder (the
working directory, so file names read as an author would type them), makes one small
textual edit, and compares the diagnostics with ``==``.  Expected positions are found in
the edited text, so the tests follow the tutorial when it changes yet fail on a wrong line
or column.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from engine.content import check_paths, load_game
from engine.content.schema import CONDITION_KEYS, EFFECT_KEYS
from engine.errors import ContentError, Diagnostic, Severity

ROOT = Path(__file__).resolve().parents[2]
RULES = "rules/tutorial.yaml"
SCENARIO = "scenarios/tutorial.yaml"
VARIANT = "scenarios/variant.yaml"


class Workspace:
    """A copy of the shipped rules, scenarios and doctrines, edited by small textual
    replacements."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for folder in ("rules", "scenarios", "doctrines"):
            shutil.copytree(ROOT / folder, root / folder)

    def text(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        (self.root / name).write_text(text, encoding="utf-8")

    def edit(self, name: str, old: str, new: str) -> None:
        """Replace ``old``, which must occur exactly once, so an edit never lands elsewhere."""
        text = self.text(name)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        self.write(name, text.replace(old, new))

    def position(self, name: str, needle: str, at: str = "") -> tuple[int, int]:
        """1-based line and column of ``at`` inside the one occurrence of ``needle``."""
        text = self.text(name)
        assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times in {name}"
        index = text.index(needle) + (needle.index(at) if at else 0)
        line_start = text.rfind("\n", 0, index) + 1
        return text.count("\n", 0, index) + 1, index - line_start + 1

    def check(self, *paths: str) -> list[Diagnostic]:
        return check_paths(list(paths) or ["rules", "scenarios"])

    def errors(self, *paths: str) -> list[Diagnostic]:
        return [d for d in self.check(*paths) if d.severity == "error"]


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.chdir(tmp_path)
    return Workspace(tmp_path)


def diag(file: str, where: tuple[int, int], path: str, message: str, hint: str = "",
         severity: Severity = "error") -> Diagnostic:
    line, column = where
    return Diagnostic(severity, file, line, column, path, message, hint)


def format_all(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(d.format() for d in diagnostics)


# ----------------------------------------------------------------------------- shipped files


def test_shipped_content_has_no_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    found = check_paths(["rules", "scenarios"])
    errors = [d for d in found if d.severity == "error"]
    assert errors == [], format_all(errors)
    assert load_game("scenarios/tutorial.yaml").scenario.scenario == "tutorial"


# ----------------------------------------------------------------------------- YAML syntax


def test_duplicate_key_names_the_first_line(ws: Workspace) -> None:
    ws.edit(SCENARIO, "    name: Poland\n", "    name: Poland\n    name: Polska\n")
    first_line, _ = ws.position(SCENARIO, "    name: Poland\n")
    assert ws.errors() == [diag(
        SCENARIO, ws.position(SCENARIO, "    name: Polska", at="name"), "actors.poland.name",
        f"duplicate key 'name' (first written at line {first_line})",
        "remove one of the two, or merge their contents")]


@pytest.mark.parametrize(("line", "at", "problem", "hint"), [
    ("   side: red\n", "side", "did not find expected key",
     "check the indentation of this line against the lines above it"),
    ("      side: red\n", ":", "mapping values are not allowed in this context",
     "check the indentation: a nested value must be indented more than its key; "
     "text that contains ': ' must be in quotes"),
    ("\tside: red\n", "\t", "found a tab character that violates indentation",
     "YAML does not allow tabs for indentation; use spaces"),
    ("    side red\n", "side", "could not find expected ':'",
     "a key must be followed by ':' and a space"),
], ids=["under-indented", "over-indented", "tab", "missing-colon"])
@pytest.mark.skipif(not yaml.__with_libyaml__, reason="the problems quoted are libyaml's words")
def test_broken_indentation_is_a_syntax_error_on_its_line(
        ws: Workspace, line: str, at: str, problem: str, hint: str) -> None:
    ws.edit(SCENARIO, "    side: red\n", line)
    assert ws.errors() == [diag(SCENARIO, ws.position(SCENARIO, line, at=at), "",
                                f"YAML syntax error: {problem}", hint)]


# ----------------------------------------------------------------------------- schema


@pytest.mark.parametrize(("old", "new", "typo", "path", "hint"), [
    ("    strength: 4\n", "    strenght: 4\n", "strenght",
     "unit_types.armored_brigade.strenght", "did you mean 'strength'?"),
    ("{adjust: assurance, scope: $target, by: 6}", "{adjust: assurance, scope: $target, bye: 6}",
     "bye", "actions.statement.effects[0].bye", "did you mean 'by'?"),
    ("{controls: $target, side: blue}", "{controls: $target, sid: blue}",
     "sid", "actions.forward_deploy.requires.all[0].sid", "did you mean 'side'?"),
], ids=["unit-type", "effect", "condition"])
def test_unknown_field_suggests_the_field_it_misspells(
        ws: Workspace, old: str, new: str, typo: str, path: str, hint: str) -> None:
    # One mistake, one diagnostic: not also "missing required field" for the field meant.
    ws.edit(RULES, old, new)
    assert ws.errors() == [diag(RULES, ws.position(RULES, new, at=typo), path,
                                f"unknown field '{typo}'", hint)]


def test_wrong_type_says_what_was_expected_and_found(ws: Workspace) -> None:
    ws.edit(SCENARIO, "turns: 6\n", "turns: six\n")
    assert ws.errors() == [diag(
        SCENARIO, ws.position(SCENARIO, "turns: six", at="six"), "turns",
        "expected a whole number (found 'six')", "write it in digits, without quotes, e.g. 6")]


def test_missing_required_field_points_into_its_mapping(ws: Workspace) -> None:
    ws.edit(RULES, "    domain: sea\n", "")
    assert ws.errors() == [diag(
        RULES, ws.position(RULES, "    name: Surface action group", at="name"),
        "unit_types.surface_group", "missing required field 'domain'", "add 'domain: ...' here")]


def test_invalid_id_is_reported_at_the_key_with_its_fix(ws: Workspace) -> None:
    ws.edit(SCENARIO, "  poland: {name: Poland", "  Poland: {name: Poland")
    assert ws.errors() == [diag(
        SCENARIO, ws.position(SCENARIO, "  Poland: {", at="Poland"), "areas.Poland",
        "'Poland' is not a valid id: use lower-case letters, digits and underscores",
        "write 'poland'")]


def test_literal_choice_typo_suggests_the_choice(ws: Workspace) -> None:
    ws.edit(RULES, "    name: Infantry brigade\n    domain: land\n",
            "    name: Infantry brigade\n    domain: lnd\n")
    assert ws.errors() == [diag(
        RULES, ws.position(RULES, "domain: lnd", at="lnd"), "unit_types.infantry_brigade.domain",
        "'lnd' is not allowed here", "did you mean 'land'?")]


@pytest.mark.parametrize(("old", "new", "path", "vocabulary", "hint"), [
    ("{adjust: assurance, scope: $target, by: 6}", "{adjst: assurance, scope: $target, by: 6}",
     "actions.statement.effects[0]",
     f"not an effect: start it with one of {', '.join(EFFECT_KEYS)}",
     "did you mean 'adjust'?"),
    ("{track: tension, scope: europe, ge: 30}", "{trak: tension, scope: europe, ge: 30}",
     "actions.sanctions.requires",
     f"not a condition: start it with one of {', '.join(CONDITION_KEYS)}",
     "did you mean 'track'?"),
], ids=["effect", "condition"])
def test_bad_rule_keyword_suggests_the_keyword(ws: Workspace, old: str, new: str, path: str,
                                               vocabulary: str, hint: str) -> None:
    ws.edit(RULES, old, new)
    assert ws.errors() == [diag(RULES, ws.position(RULES, new), path, vocabulary, hint)]


# ----------------------------------------------------------------------------- references


def test_area_typo_in_a_force_suggests_the_area(ws: Workspace) -> None:
    ws.edit(SCENARIO, "owner: poland, area: poland}", "owner: poland, area: polnad}")
    assert ws.errors() == [diag(
        SCENARIO, ws.position(SCENARIO, "polnad"), "forces.pl-12mech.area",
        "unknown area 'polnad'", "did you mean 'poland'?")]


def test_actor_typo_used_as_a_key_is_reported_at_the_key(ws: Workspace) -> None:
    ws.edit(SCENARIO, "{us: 0.8, poland: 0.4}", "{us: 0.8, polnad: 0.4}")
    assert ws.errors() == [diag(
        SCENARIO, ws.position(SCENARIO, "polnad"), "actors.russia.threat_perception.polnad",
        "unknown actor 'polnad'", "did you mean 'poland'?")]


def test_unknown_track_in_an_action_effect(ws: Workspace) -> None:
    ws.edit(RULES, "{adjust: assurance, scope: $target, by: 6}",
            "{adjust: asurance, scope: $target, by: 6}")
    assert ws.errors() == [diag(
        RULES, ws.position(RULES, "asurance"), "actions.statement.effects[0].adjust",
        "unknown track 'asurance'", "did you mean 'assurance'?")]


def test_actor_track_without_scope(ws: Workspace) -> None:
    ws.edit(RULES, "{adjust: credibility, scope: $self, by: 3}", "{adjust: credibility, by: 3}")
    assert ws.errors() == [diag(
        RULES, ws.position(RULES, "{adjust: credibility, by: 3}"),
        "actions.forward_deploy.effects[2]", "track 'credibility' is kept per actor",
        "add 'scope:' naming the actor")]


def test_global_track_with_scope(ws: Workspace) -> None:
    ws.edit(RULES, "\ntracks:\n", "\ntracks:\n  alert:\n    name: Alert level\n    scope: global\n")
    effect = "{adjust: alert, scope: europe, by: 3}"
    ws.edit(RULES, "{adjust: tension, scope: europe, by: 3}", effect)
    assert ws.errors() == [diag(
        RULES, ws.position(RULES, effect, at="europe"),
        "actions.exercise.effects[1].scope", "track 'alert' is global and takes no scope",
        "remove 'scope'")]


def test_land_unit_placed_in_a_sea_area(ws: Workspace) -> None:
    ws.edit(SCENARIO, "owner: poland, area: poland}", "owner: poland, area: baltic_sea}")
    assert ws.errors() == [diag(
        SCENARIO, ws.position(SCENARIO, "owner: poland, area: baltic_sea}", at="baltic_sea"),
        "forces.pl-12mech.area", "a land unit cannot stand in sea area 'baltic_sea'",
        "land units may stand in: land, offmap")]


# ----------------------------------------------------------------------------- files


@pytest.mark.parametrize(("override", "needle", "path", "message", "hint"), [
    ("forces:\n  pl-12mech: {area: polnad}\n", "polnad", "forces.pl-12mech.area",
     "unknown area 'polnad'", "did you mean 'poland'?"),
    ("actors:\n  poland:\n    sied: blue\n", "sied", "actors.poland.sied",
     "unknown field 'sied'", "did you mean 'side'?"),
    ("turns: twelve\n", "twelve", "turns",
     "expected a whole number (found 'twelve')", "write it in digits, without quotes, e.g. 6"),
], ids=["reference", "field", "type"])
def test_variant_override_typo_points_into_the_variant(
        ws: Workspace, override: str, needle: str, path: str, message: str, hint: str) -> None:
    ws.write(VARIANT, "# A variant of the tutorial.\nextends: tutorial.yaml\n"
                      f"scenario: tutorial_variant\n{override}")
    assert ws.errors() == [diag(VARIANT, ws.position(VARIANT, needle), path, message, hint)]


def test_extends_cycle_is_reported_where_it_closes(ws: Workspace) -> None:
    ws.write("scenarios/a.yaml", "extends: b.yaml\nscenario: a\n")
    ws.write("scenarios/b.yaml", "extends: a.yaml\nscenario: b\n")
    with pytest.raises(ContentError) as raised:
        load_game("scenarios/a.yaml")
    assert list(raised.value.diagnostics) == [diag(
        "scenarios/b.yaml", ws.position("scenarios/b.yaml", "a.yaml"), "extends",
        "'extends: a.yaml' makes a cycle", "a variant cannot extend itself, directly or not")]


def test_scenario_extending_itself_is_a_cycle(ws: Workspace) -> None:
    ws.write(VARIANT, "extends: variant.yaml\nscenario: variant\n")
    assert ws.errors(VARIANT) == [diag(
        VARIANT, ws.position(VARIANT, "variant.yaml"), "extends",
        "'extends: variant.yaml' makes a cycle", "a variant cannot extend itself, directly or not")]


def test_extends_naming_a_missing_file_suggests_a_close_one(ws: Workspace) -> None:
    ws.write(VARIANT, "extends: tutorail.yaml\nscenario: variant\n")
    assert ws.errors(VARIANT) == [diag(
        VARIANT, ws.position(VARIANT, "tutorail.yaml"), "extends",
        "'extends' names a missing file: tutorail.yaml",
        "the path is relative to this file; did you mean 'tutorial.yaml'?")]


@pytest.mark.parametrize(("declared", "hint"), [
    ("../rules/tutorail.yaml",
     "the path is relative to this file; did you mean '../rules/tutorial.yaml'?"),
    ("../rules/nothing_like_it.yaml", "the path is relative to this file"),
    ("../rulez/tutorial.yaml", "the path is relative to this file"),
], ids=["typo", "absent", "no-folder"])
def test_missing_ruleset_file(ws: Workspace, declared: str, hint: str) -> None:
    ws.edit(SCENARIO, "ruleset: ../rules/tutorial.yaml\n", f"ruleset: {declared}\n")
    shown = declared.removeprefix("../")
    assert ws.errors(SCENARIO) == [diag(
        SCENARIO, ws.position(SCENARIO, declared), "ruleset",
        f"ruleset file not found: {shown}", hint)]


def test_content_error_lists_every_problem_with_file_and_line(ws: Workspace) -> None:
    ws.edit(SCENARIO, "owner: poland, area: poland}", "owner: poland, area: polnad}")
    line, column = ws.position(SCENARIO, "polnad")
    with pytest.raises(ContentError) as raised:
        load_game(SCENARIO)
    assert str(raised.value) == (
        f"{SCENARIO}:{line}:{column}: error: at forces.pl-12mech.area: unknown area 'polnad'"
        "\n    hint: did you mean 'poland'?")


# ----------------------------------------------------------------------------- collection


def test_every_schema_error_of_a_file_is_collected(ws: Workspace) -> None:
    ws.edit(RULES, "    strength: 4\n", "    strenght: 4\n")
    ws.edit(RULES, "    name: Infantry brigade\n    domain: land\n",
            "    name: Infantry brigade\n    domain: lnd\n")
    ws.edit(RULES, "    cost: 8\n", "    cost: free\n")
    assert ws.errors() == [
        diag(RULES, ws.position(RULES, "strenght"), "unit_types.armored_brigade.strenght",
             "unknown field 'strenght'", "did you mean 'strength'?"),
        diag(RULES, ws.position(RULES, "lnd"), "unit_types.infantry_brigade.domain",
             "'lnd' is not allowed here", "did you mean 'land'?"),
        diag(RULES, ws.position(RULES, "free"), "unit_types.fighter_wing.cost",
             "expected a number (found 'free')", "write it in digits, without quotes, e.g. 6"),
    ]


def test_every_reference_error_of_a_file_is_collected(ws: Workspace) -> None:
    ws.edit(SCENARIO, "owner: poland, area: poland}", "owner: polnad, area: polnad}")
    ru_6gta = "type: armored_brigade, owner: russia, area: baltic_sea}"
    ws.edit(SCENARIO, "type: armored_brigade, owner: russia, area: western_russia}", ru_6gta)
    pl_12mech = "owner: polnad, area: polnad}"
    assert ws.errors() == [
        diag(SCENARIO, ws.position(SCENARIO, pl_12mech, at="polnad"), "forces.pl-12mech.owner",
             "unknown actor 'polnad'", "did you mean 'poland'?"),
        diag(SCENARIO, ws.position(SCENARIO, pl_12mech, at="polnad}"), "forces.pl-12mech.area",
             "unknown area 'polnad'", "did you mean 'poland'?"),
        diag(SCENARIO, ws.position(SCENARIO, ru_6gta, at="baltic_sea"),
             "forces.ru-6gta.area", "a land unit cannot stand in sea area 'baltic_sea'",
             "land units may stand in: land, offmap"),
    ]


# ----------------------------------------------------------------------------- warnings


def test_area_without_links_is_a_warning_at_its_name(ws: Workspace) -> None:
    ws.edit(SCENARIO, "  conus: {", "  iceland: {name: Iceland, theater: europe, kind: land, "
                                    "terrain: open, lat: 65.0, lon: -18.0}\n  conus: {")
    assert ws.check() == [diag(
        SCENARIO, ws.position(SCENARIO, "iceland:"), "areas.iceland",
        "area 'iceland' has no links: no unit can ever enter it", "add it to 'adjacency'",
        severity="warning")]


def test_area_no_force_can_reach_is_a_warning(ws: Workspace) -> None:
    ws.edit(SCENARIO, "  conus: {", "  iceland: {name: Iceland, theater: europe, kind: land, "
                                    "terrain: open, lat: 65.0, lon: -18.0}\n"
                                    "  faroes: {name: Faroe Islands, theater: europe, kind: land, "
                                    "terrain: open, lat: 62.0, lon: -7.0}\n  conus: {")
    ws.edit(SCENARIO, "\nadjacency:\n", "\nadjacency:\n  - [iceland, faroes, land]\n")
    hint = "link it to the rest of the map in 'adjacency'"
    assert ws.check() == [
        diag(SCENARIO, ws.position(SCENARIO, "iceland:"), "areas.iceland",
             "area 'iceland' cannot be reached from any starting force", hint, "warning"),
        diag(SCENARIO, ws.position(SCENARIO, "faroes:"), "areas.faroes",
             "area 'faroes' cannot be reached from any starting force", hint, "warning"),
    ]


def test_unused_definitions_are_warnings_at_their_names(ws: Workspace) -> None:
    ws.edit(RULES, "  water: {name: Open water", "  mountain: {name: Mountains, defense: 3.0}\n"
                                              "  water: {name: Open water")
    ws.edit(RULES, "\nroles:\n", "\nroles:\n  neutral: {name: Neutral power}\n")
    ws.edit(RULES, "\nunit_types:\n", "\nunit_types:\n  marine_brigade:\n    name: Marines\n"
                                      "    domain: land\n    strength: 2\n    movement: 1\n"
                                      "    cost: 5\n    symbol: \"10031000001211000000\"\n")
    shared = "remove it, unless another scenario of this ruleset uses it"
    assert ws.check() == [
        diag(RULES, ws.position(RULES, "mountain:"), "terrain.mountain",
             "terrain 'mountain' is not used by scenario 'tutorial'", shared, "warning"),
        diag(RULES, ws.position(RULES, "marine_brigade:"), "unit_types.marine_brigade",
             "unit type 'marine_brigade' is never placed in scenario 'tutorial'", shared,
             "warning"),
        diag(RULES, ws.position(RULES, "neutral:"), "roles.neutral",
             "no actor of scenario 'tutorial' has role 'neutral'", shared, "warning"),
    ]


def test_chance_in_an_action_requirement_is_refused(ws: Workspace) -> None:
    """An action's requirement is checked when the order is given and again when it
    resolves: a dice roll there would be drawn twice."""
    old = "    requires: {track: tension, scope: europe, ge: 30}\n"
    ws.edit(RULES, old, "    requires: {chance: 0.5}\n")
    assert ws.errors() == [diag(
        RULES, ws.position(RULES, "    requires: {chance: 0.5}", at="{chance"),
        "actions.sanctions.requires",
        "action 'sanctions' draws a 'chance' in its requirement, which is checked more than "
        "once a turn",
        "roll the dice in a trigger instead")]
