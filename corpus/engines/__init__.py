"""Engines run a stage's per-record function over a stream: local processes by default."""
