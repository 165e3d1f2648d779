"""Redline: a turn-based two-theater strategic wargame engine.

Rules and scenarios are YAML (read only by :mod:`engine.content`); the rules engine in
:mod:`engine.core` is pure and deterministic; everything else is built on top of it.
"""

__version__ = "0.1.0"
