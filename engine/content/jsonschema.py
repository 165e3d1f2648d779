"""JSON Schema for rulesets, scenarios and variants, so editors can complete and check YAML."""

from __future__ import annotations

import copy
from typing import Any

from engine.content.schema import Ruleset, Scenario


def schemas() -> dict[str, dict[str, Any]]:
    """``{file name: schema}`` for the three kinds of file an author writes."""
    ruleset = Ruleset.model_json_schema()
    ruleset["title"] = "Redline ruleset"
    scenario = Scenario.model_json_schema()
    scenario["title"] = "Redline scenario"
    variant = _optional_everywhere(copy.deepcopy(scenario))
    variant["title"] = "Redline scenario variant"
    variant["description"] = (
        "A variant overlays the scenario named by 'extends': mappings "
        "merge key by key, null removes a key, other values replace."
    )
    variant["properties"]["extends"] = {
        "type": "string",
        "description": "Path of the scenario this one overlays.",
    }
    variant["required"] = ["extends"]
    return {
        "ruleset.schema.json": ruleset,
        "scenario.schema.json": scenario,
        "variant.schema.json": variant,
    }


def _optional_everywhere(node: Any) -> Any:
    """Drop every ``required`` list and let every property be null (null removes a key)."""
    if isinstance(node, list):
        return [_optional_everywhere(item) for item in node]
    if not isinstance(node, dict):
        return node
    relaxed = {k: _optional_everywhere(v) for k, v in node.items() if k != "required"}
    if isinstance(relaxed.get("properties"), dict):
        relaxed["properties"] = {
            name: {"anyOf": [schema, {"type": "null"}]}
            for name, schema in relaxed["properties"].items()
        }
    if isinstance(relaxed.get("additionalProperties"), dict):
        relaxed["additionalProperties"] = {
            "anyOf": [relaxed["additionalProperties"], {"type": "null"}]
        }
    return relaxed
