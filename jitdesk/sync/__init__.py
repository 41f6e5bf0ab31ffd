"""Sync: the wire protocol, the station's async client, and the server (FastAPI app, storage, hub relay)."""
