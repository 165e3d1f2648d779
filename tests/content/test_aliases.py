"""YAML anchors and aliases: allowed, but never a way to hang or crash the loader."""

from __future__ import annotations

from pathlib import Path

from engine.content.source import MAX_VALUES, read_document


def test_an_alias_may_repeat_a_value(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("quiet: &quiet [a, b]\nagain: *quiet\n")
    document = read_document(path)
    assert document.diagnostics == []
    assert document.data == {"quiet": ["a", "b"], "again": ["a", "b"]}


def test_an_alias_inside_itself_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("a: &a [*a]\n")
    (problem,) = read_document(path).diagnostics
    assert (problem.line, problem.column) == (1, 4)
    assert problem.message == "an alias refers to the value that contains it"


def test_an_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 8)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    (problem,) = read_document(path).diagnostics
    assert problem.message == f"the file expands to more than {MAX_VALUES:,} values"
