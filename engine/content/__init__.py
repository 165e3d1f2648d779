"""The only package that reads YAML: schema, loader, reference checks, JSON Schema export."""

from engine.content.loader import LoadedGame, check_paths, load_game

__all__ = ["LoadedGame", "check_paths", "load_game"]
