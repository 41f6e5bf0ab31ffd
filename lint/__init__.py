"""Project checks that run beside the tests (import-linter contract types)."""
