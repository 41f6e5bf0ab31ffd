"""The sync server: FastAPI app, its own storage (SQLite or PostgreSQL) and migrations, the hub relay."""
