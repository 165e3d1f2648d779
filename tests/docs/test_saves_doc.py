"""docs/saves.md documents the save format; these tests keep it in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

from engine.saves.codec import _FIELDS
from engine.saves.game import FORMAT, FORMAT_VERSION, KEYFRAME_EVERY, Content, SavedGame

DOC = (Path(__file__).resolve().parents[2] / "docs" / "saves.md").read_text(encoding="utf-8")


def test_every_event_kind_is_documented_with_its_fields_in_order() -> None:
    table = DOC[DOC.index("| kind | fields |") :].split("\n\n")[0]
    rows = dict(re.findall(r"^\| `(\w+)` \| ([\w, ]+) \|$", table, flags=re.MULTILINE))
    expected = {kind: ", ".join(name for name, _ in fields) for kind, fields in _FIELDS.items()}
    assert rows == expected


def test_every_top_level_field_is_documented() -> None:
    content = Content("s.yaml", {"s.yaml": ""})
    document = SavedGame("x", content=content, seed=1, players={}).to_document()
    for field in ["checksum", *document]:
        assert f"`{field}`" in DOC, field


def test_the_version_and_keyframe_spacing_are_the_documented_ones() -> None:
    assert f'`"{FORMAT}"`, `{FORMAT_VERSION}`' in DOC
    first, second = KEYFRAME_EVERY + 1, 2 * KEYFRAME_EVERY + 1
    assert f"turns {first}, {second}," in DOC
    assert f"every {KEYFRAME_EVERY} turns" in DOC

