"""Benchmarks: each script prints one JSON object with its figures and a same-run baseline ratio."""
