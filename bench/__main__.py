"""``make bench``: the quick benchmarks in one run. The large-region monitoring benchmark
(several minutes, PostgreSQL) runs on its own: ``python -m bench.monitoring_aggregation``."""
from bench import matching, participant_import, tenant_scoping

if __name__ == "__main__":
    tenant_scoping.main()
    matching.main()
    participant_import.main()
