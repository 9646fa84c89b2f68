"""``make bench``: the quick benchmarks in one run. The large-region monitoring benchmark
(several minutes, PostgreSQL) runs on its own: ``python -m bench.monitoring_aggregation``;
so does the full survey dispatch (100,000 invitations): ``python -m bench.survey_dispatch``
(here: 5,000 on SQLite)."""
from bench import matching, participant_import, public_page, survey_dispatch, tenant_scoping

if __name__ == "__main__":
    tenant_scoping.main()
    matching.main()
    participant_import.main()
    survey_dispatch.main(["--n", "5000", "--sqlite", "--no-trace"])
    public_page.main(["--schools", "2000", "--repeats", "5", "--sqlite-only"])
