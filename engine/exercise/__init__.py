"""Facilitated exercises: teams, order sheets, the white cell's controls, turn by turn.

A facilitator runs one game for several teams from a save: each team of people gets an
order sheet (or uses the map view), the white cell checks the sheets and plays the turn,
and each team gets a report of what it saw.  Everything goes through the save, so an
exercise can be replayed, rewound or branched like any game.
"""
