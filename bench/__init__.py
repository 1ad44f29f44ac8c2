"""Benchmarks: `make bench N=1000` (see bench/run.py); they print tables, tests never time."""
