"""Use cases: each is one transaction (validate, append events, update projections) returning Changes."""
