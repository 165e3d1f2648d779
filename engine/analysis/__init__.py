"""Batch runs and policy experiments: many seeded games of a scenario and its variants.

- :mod:`engine.analysis.variants` loads and checks the scenario, variant files and sweep
  points, and packs each into a source the workers load from.
- :mod:`engine.analysis.batch` plays the games (in process, in local processes or on a
  Dask cluster) and keeps a small result per game.
- :mod:`engine.analysis.stats` and :mod:`engine.analysis.summary` turn the results into
  means, confidence intervals, paired differences and counts, the same on any backend.
- :mod:`engine.analysis.outputs` writes ``games.csv``, ``summary.json`` and the plots;
  :mod:`engine.analysis.command` is ``redline analyze``.
- :mod:`engine.analysis.compare` is the older, simpler ``redline compare``.
"""
