"""Benchmarks at scale: a large generated dataset, SQL statements per page, latency and PDF exports.

Run everything and write ``BENCHMARKS.md``: ``.venv/bin/python -m benchmarks.run``.
"""
