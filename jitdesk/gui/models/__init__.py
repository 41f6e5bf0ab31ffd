"""Qt item models of the views: thin adapters over service reads."""
