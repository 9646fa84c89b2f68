"""Demo data and the synthetic region (not the domain): demo regions, users and a school's people
for `make run`, and a large generated region for benchmarks. Command line: demo/cli.py."""
