"""Kehu benchmarks: `python -m benchmarks --help` from the repository root (or `kehu bench`).

Benchmarks are measurements, not tests: nothing here asserts a time. The runner
builds its own throwaway database, fills it, measures and prints a table plus JSON.
"""
