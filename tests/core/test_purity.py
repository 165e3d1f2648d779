"""House rule 1: ``engine.core`` is pure.

Dynamically, a fresh interpreter that cannot import pygame, yaml or the global ``random``
imports every module of ``engine.core`` and plays a turn of the tutorial, rebuilt from the
spec's ``repr`` because the content loader (which needs yaml) is out of bounds there.
Statically, no module of ``engine.core`` imports an I/O, clock or randomness module or calls
``open``, ``print``, ``eval`` and the like.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from engine.core import GameSpec, GameState, Rules, parse_order, resolve_turn

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "engine" / "core"

ORDERS = ["russia: attack baltics with ru-6gta ru-76vdv", "us: act statement poland",
          "poland: move pl-12mech germany"]

CHILD = """
import importlib, pkgutil, sys
from types import MappingProxyType

BLOCKED = {"pygame", "yaml", "random"}

class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ImportError(f"engine.core must not import {name}")
        return None

sys.meta_path.insert(0, Blocker())
import engine.core
namespace = {"mappingproxy": MappingProxyType}
for info in pkgutil.walk_packages(engine.core.__path__, "engine.core."):
    module = importlib.import_module(info.name)
    namespace.update(vars(module))
leaked = sorted(m for m in ("pygame", "yaml", "random", "datetime") if m in sys.modules)
assert not leaked, leaked

from engine.core import Rules, initial_state, parse_order, resolve_turn
spec = eval(sys.stdin.read(), namespace)
orders = [parse_order(t) for t in sys.argv[1:]]
print(resolve_turn(Rules(spec), initial_state(spec), orders).state.digest())
leaked = sorted(m for m in ("pygame", "yaml", "random", "datetime") if m in sys.modules)
assert not leaked, leaked
"""


def test_core_imports_and_plays_without_pygame_yaml_or_random(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *ORDERS],
        input=repr(tutorial_spec), capture_output=True, text=True, cwd=ROOT, timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    expected = resolve_turn(tutorial_rules, tutorial_state, [parse_order(t) for t in ORDERS])
    assert done.stdout.strip() == expected.state.digest()


FORBIDDEN_MODULES = {
    "pygame", "yaml", "random", "secrets", "uuid", "time", "datetime", "os", "pathlib", "io",
    "shutil", "tempfile", "subprocess", "socket", "pickle",
}
FORBIDDEN_CALLS = {"open", "print", "input", "eval", "exec", "compile", "__import__", "hash",
                   "breakpoint"}


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            if name.partition(".")[0] in FORBIDDEN_MODULES:
                found.append(f"{path.name}:{node.lineno}: imports {name}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in FORBIDDEN_CALLS
        ):
            found.append(f"{path.name}:{node.lineno}: calls {node.func.id}()")
    return found


def test_core_sources_do_no_io_and_own_no_randomness() -> None:
    sources = sorted(CORE.rglob("*.py"))
    assert len(sources) >= 10
    problems = [p for path in sources for p in _problems(path)]
    assert problems == []


def test_the_static_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import os.path\nfrom random import choice\nimport yaml as y\n"
        "def f():\n    return open('x'), hash('y')\n",
        encoding="utf-8",
    )
    assert _problems(bad) == [
        "bad.py:1: imports os.path",
        "bad.py:2: imports random",
        "bad.py:3: imports yaml",
        "bad.py:5: calls open()",
        "bad.py:5: calls hash()",
    ]
