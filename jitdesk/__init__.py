"""jitdesk: shop-floor just-in-time desk (kanban, andon, takt, offline-first sync)."""

__version__ = "0.1.0"
