"""Benchmarks: run on demand (``make bench``); they print ratios measured in one run."""
