"""Board (TV) mode: screens read from across the hall on a big TV, with no one at the keyboard.

Pieces every board reuses (the kanban board now; andon and takt boards later):
* `type.py`: fonts sized by the cap height a distance needs (1/200 of it: 50 px for 10 m on a 55" 1080p TV);
* `tiles.py`: `TileGrid`, a grid of tiles that says how many fit its size, and signals a tap on one;
* `totals.py`: `TotalsStrip`, the figures that are always in view (symbol, words and number, not colour alone);
* `shell.py`: `BoardShell`, the full-screen window: title and clock, the totals strip, the paged grid,
  pages turning by themselves, a tap opens a tile's details;
* `kanban.py`: the kanban board in that shell.
"""
