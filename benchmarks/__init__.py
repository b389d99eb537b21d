"""Benchmark scripts: they print figures; no test asserts on time."""
