"""The pygame map view: the only package of Redline that imports pygame.

It draws what the engine decides and never decides anything itself: the base map of each
theater (``geometry`` projects, ``basemap`` rasterises Natural Earth and the scenario's
areas), unit counters, panels and the app that turns clicks into orders for the core.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # keep the command's output its own
