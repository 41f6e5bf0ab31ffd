"""Pure domain: ids, clock, events, fold and the rules of kanban, andon and takt. Standard library only."""
