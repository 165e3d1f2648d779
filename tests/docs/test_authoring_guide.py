"""The authoring guide (docs/authoring.md) stays true to the engine, and sufficient.

- Every scenario under ``docs/examples/`` (written by following only the guide) validates
  without errors or warnings and plays to its last turn.
- Every ``yaml`` block of the guide whose first line is ``# file: PATH`` is a complete
  file: together they are written out under their paths, must validate without errors or
  warnings, and their scenarios must play. Every other ``yaml`` block must at least be
  well-formed YAML.
- The outputs pasted in the guide (``redline validate`` on a real mistake, ``redline run``
  on the first game) are what the commands really print.
- The guide names every top-level field of a ruleset and a scenario, every field of every
  model of the schema, every condition and effect keyword, every event kind and every
  order code, so it cannot silently fall behind the schema.
- ``docs/reference.md`` is what ``scripts/make_reference.py`` generates now.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from pydantic import BaseModel

from engine.ai.random_bot import RandomBot
from engine.content import check_paths, load_game
from engine.content import schema as s
from engine.core import Rules
from engine.core.events import EVENT_TYPES
from engine.core.orders import OrderCode
from engine.runner import play_game

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "authoring.md"
EXAMPLES = ROOT / "docs" / "examples"
TEXT = GUIDE.read_text(encoding="utf-8")
SEED = 5

FILE_MARK = re.compile(r"^# file: (\S+)\s*$")
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


# ----------------------------------------------------------------------------- helpers


def blocks(language: str) -> list[str]:
    """The bodies of the guide's fenced blocks in ``language``, in order."""
    return [body for lang, body in BLOCK.findall(TEXT) if lang == language]


def complete_files() -> dict[str, str]:
    """``{path: text}`` of the blocks marked as complete files with ``# file: PATH``."""
    found: dict[str, str] = {}
    for body in blocks("yaml"):
        first = body.splitlines()[0] if body else ""
        match = FILE_MARK.match(first)
        if match:
            assert match.group(1) not in found, f"two blocks claim to be {match.group(1)}"
            found[match.group(1)] = body
    return found


def block_after(marker: str) -> str:
    """The first fenced block after the HTML comment ``<!-- marker -->``."""
    start = TEXT.index(f"<!-- {marker} -->")
    match = BLOCK.search(TEXT, start)
    assert match is not None, f"no block after <!-- {marker} -->"
    return match.group(2)


def write_guide_files(root: Path) -> list[Path]:
    written = []
    for name, body in complete_files().items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def redline(cwd: Path, *args: str) -> str:
    """What ``redline ARGS`` prints, run in ``cwd`` as an author would, without colour."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "PY_COLORS")}
    env.update(COLUMNS="80", TERM="dumb", NO_COLOR="1", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "engine.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.stderr + done.stdout


def same_lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines()]


def play_to_the_end(path: Path) -> None:
    spec = load_game(path).spec
    bot = RandomBot()
    record = play_game(Rules(spec), {actor.id: bot for actor in spec.actors}, seed=SEED)
    assert record.final.finished, f"{path.name} did not finish"
    assert len(record.turns) == spec.turns
    assert record.final.end_reason == "the last turn has been played"
    assert set(record.outcomes) == {o.id for o in spec.outcomes}
    rejected = [e.describe() for t in record.turns for e in t.events if e.kind == "order_rejected"]
    assert rejected == [], "the random bot gives only legal orders"


# ----------------------------------------------------------------------------- (a) examples


EXAMPLE_SCENARIOS = sorted((EXAMPLES / "scenarios").glob("*.yaml"))


def test_examples_exist() -> None:
    names = {p.name for p in EXAMPLE_SCENARIOS}
    assert {"strait_crisis.yaml", "strait_crisis_ambiguous.yaml"} <= names
    assert "extends:" in (EXAMPLES / "scenarios" / "strait_crisis_ambiguous.yaml").read_text(
        encoding="utf-8"
    )


def test_examples_validate_without_errors_or_warnings() -> None:
    assert [d.format() for d in check_paths([EXAMPLES])] == []


@pytest.mark.parametrize("path", EXAMPLE_SCENARIOS, ids=[p.stem for p in EXAMPLE_SCENARIOS])
def test_example_plays_to_the_end(path: Path) -> None:
    play_to_the_end(path)


# ----------------------------------------------------------------------------- (b) guide files


def test_guide_has_complete_files() -> None:
    names = set(complete_files())
    assert {
        "mygames/rules/border.yaml",
        "mygames/scenarios/border.yaml",
        "mygames/scenarios/border_reinforced.yaml",
    } <= names


def test_complete_files_validate_and_play(tmp_path: Path) -> None:
    written = write_guide_files(tmp_path)
    assert [d.format() for d in check_paths([tmp_path])] == []
    scenarios = [path for path in written if path.parent.name == "scenarios"]
    assert scenarios
    for path in scenarios:
        play_to_the_end(path)


def test_every_yaml_block_is_well_formed() -> None:
    for body in blocks("yaml"):
        try:
            yaml.safe_load(body)
        except yaml.YAMLError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"a yaml block of the guide does not parse: {exc}\n{body}")


def test_pasted_validate_output_is_real(tmp_path: Path) -> None:
    """Section 15.1 shows three typing mistakes in the scenario of section 3.2, then what
    ``redline validate mygames`` prints before and after fixing the first one."""
    write_guide_files(tmp_path)
    scenario = tmp_path / "mygames" / "scenarios" / "border.yaml"
    text = scenario.read_text(encoding="utf-8")
    mistakes = [b for b in blocks("yaml") if "strenght" in b or "controller: blue}" in b]
    assert len(mistakes) == 2
    for wrong in mistakes:
        line = wrong.rstrip("\n")
        key = line.split(":", 1)[0]
        original = [x for x in text.splitlines() if x.startswith(key + ":")]
        assert len(original) == 1, f"no single line of the scenario starts with {key!r}"
        text = text.replace(original[0], line)
    scenario.write_text(text, encoding="utf-8")
    first = redline(tmp_path, "validate", "mygames")
    assert same_lines(first) == same_lines(block_after("validate-output: round 1")), first
    scenario.write_text(text.replace("strenght: 2", "strength: 2"), encoding="utf-8")
    second = redline(tmp_path, "validate", "mygames")
    assert same_lines(second) == same_lines(block_after("validate-output: round 2")), second


def test_pasted_run_output_is_real(tmp_path: Path) -> None:
    """Section 3.4 shows what ``redline run`` prints for the first game.  If the engine or
    the random bot changes, paste the new output (the test prints it)."""
    write_guide_files(tmp_path)
    printed = redline(tmp_path, "run", "mygames/scenarios/border.yaml")
    assert same_lines(printed) == same_lines(block_after("run-output")), printed


# ----------------------------------------------------------------------------- (c) coverage


def mentioned(name: str) -> bool:
    """Whether the guide names ``name`` as code (`name`) or as a YAML key (name:)."""
    return f"`{name}`" in TEXT or re.search(rf"(?<![\w$-]){re.escape(name)}:", TEXT) is not None


def all_models() -> list[type[BaseModel]]:
    """Every model a ruleset or scenario can contain, conditions and effects included."""
    found: list[type[BaseModel]] = []
    queue: list[object] = [s.Ruleset, s.Scenario]
    while queue:
        tp = queue.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp not in found:
                found.append(tp)
                queue.extend(info.annotation for info in tp.model_fields.values())
        else:
            queue.extend(typing.get_args(tp))
    return found


@pytest.mark.parametrize("model", [s.Ruleset, s.Scenario], ids=["ruleset", "scenario"])
def test_guide_names_every_top_level_field(model: type[BaseModel]) -> None:
    missing = [name for name in model.model_fields if f"`{name}`" not in TEXT]
    assert missing == [], f"docs/authoring.md does not explain {model.__name__} fields {missing}"


def test_guide_names_every_condition_and_effect_keyword() -> None:
    missing = [k for k in (*s.CONDITION_KEYS, *s.EFFECT_KEYS) if f"`{k}`" not in TEXT]
    assert missing == [], f"docs/authoring.md does not explain {missing}"


def test_guide_names_every_field_of_every_model() -> None:
    models = all_models()
    assert s.RedLine in models and s.UnitFilter in models and s.Decay in models
    missing = sorted(
        {
            f"{model.__name__}.{info.alias or name}"
            for model in models
            for name, info in model.model_fields.items()
            if not mentioned(info.alias or name)
        }
    )
    assert missing == [], f"docs/authoring.md never names {missing}"


def test_guide_names_every_event_kind_and_order_code() -> None:
    missing = [kind for kind in EVENT_TYPES if f"`{kind}`" not in TEXT]
    missing += [
        code.value
        for code in OrderCode
        if code is not OrderCode.OK and f"`{code.value}`" not in TEXT
    ]
    assert missing == [], f"docs/authoring.md does not explain {missing}"


# ----------------------------------------------------------------------------- reference


def load_script() -> ModuleType:
    path = ROOT / "scripts" / "make_reference.py"
    spec = importlib.util.spec_from_file_location("make_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_is_up_to_date() -> None:
    expected = load_script().render()
    current = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert current == expected, "docs/reference.md is stale: run scripts/make_reference.py"


def test_guide_links_to_the_reference_and_examples() -> None:
    assert "](reference.md)" in TEXT
    for path in EXAMPLE_SCENARIOS:
        assert f"examples/scenarios/{path.name}" in TEXT, f"the guide does not link {path.name}"
