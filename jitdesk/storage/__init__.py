"""SQLite storage: engine and pragmas, typed schema, Alembic migrations, repositories over a Session."""
