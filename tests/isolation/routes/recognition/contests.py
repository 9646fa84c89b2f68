"""Isolation registry for the contests (see tests/isolation/registry.py), on ``contest_world``
(tests/support/contests.py): municipal body r1m1's announced contest ``c.contest`` and draft
``c.draft``, its juror (the specialist r1m1.staff) and school r1m1s1's entry ``c.nominee``.

* The organiser's pages (edit, announce, jury, scores, results and the steps) belong to r1m1:
  its own school r1m1s1 is an outsider there (404), as are the other lines.
* An announced contest is seen along r1m1's line: its page, its rules and the nomination form
  are registered as seen from the school r1m1s2 (the owner key below), so the outsiders are
  the organisations off the line (r1m2, region 2); the draft's page is r1m1's alone.
* An entry belongs to the school r1m1s1 and is shared upward: another school gets a 404."""
from tests.isolation.registry import ProtectedRoute

M, S, LINE = "r1m1", "r1m1s1", "r1m1s2"


class ContestRoute(ProtectedRoute):
    """A contest route on the contest world's objects."""

    @property
    def worlds(self) -> tuple[str, ...]:
        return ("c",)


def _contest(path=""):
    return lambda t, o: f"/recognition/contests/{o['c'].contest}{path}"


def _draft(path=""):
    return lambda t, o: f"/recognition/contests/{o['c'].draft}{path}"


def _entry(path=""):
    return lambda t, o: f"/recognition/contests/{o['c'].contest}/entries/{o['c'].nominee}{path}"


DRAFT_FORM = {"title": "Чужой конкурс", "nominations": "Номинация", "criteria-0-title": "Критерий",
              "criteria-0-max_score": "5", "aggregation": "sum", "nominations_open_on": "2026-11-01",
              "nominations_close_on": "2026-11-10", "judging_until": "2026-11-20", "results_on": "2026-11-30"}

ROUTES = [
    # the organiser's own pages and steps
    ContestRoute("recognition.contest_show", "GET", _draft(), M),
    ContestRoute("recognition.contest_rules", "GET", _draft("/rules"), M),
    ContestRoute("recognition.contest_edit", "GET", _draft("/edit"), M),
    ContestRoute("recognition.contest_edit", "POST", _draft("/edit"), M, form=DRAFT_FORM),
    ContestRoute("recognition.contest_announce", "POST", _draft("/announce"), M),
    ContestRoute("recognition.contest_start_judging", "POST", _contest("/start-judging"), M),
    ContestRoute("recognition.contest_jury", "GET", _contest("/jury"), M),
    ContestRoute("recognition.contest_jury", "POST", _contest("/jury"), M, form={"user_id": "1"}),
    ContestRoute("recognition.contest_juror_remove", "POST",
                 lambda t, o: f"/recognition/contests/{o['c'].contest}/jury/{o['c'].juror}/remove", M),
    ContestRoute("recognition.contest_scores", "GET", _contest("/scores"), M, insider="r1m1.staff"),
    ContestRoute("recognition.contest_scores", "POST", _contest("/scores"), M, insider="r1m1.staff",
                 form={"score-1-1": "1"}),
    ContestRoute("recognition.contest_results", "GET", _contest("/results"), M),
    ContestRoute("recognition.contest_close_judging", "POST", _contest("/close-judging"), M),
    ContestRoute("recognition.contest_reopen_judging", "POST", _contest("/reopen-judging"), M),
    ContestRoute("recognition.contest_publish", "POST", _contest("/publish"), M),
    # seen along the organiser's line
    ContestRoute("recognition.contest_show", "GET", _contest(), LINE),
    ContestRoute("recognition.contest_rules", "GET", _contest("/rules"), LINE),
    ContestRoute("recognition.contest_nominate", "GET", _contest("/nominate"), LINE),
    ContestRoute("recognition.contest_nominate", "POST", _contest("/nominate"), LINE,
                 form={"participant_id": "1", "nomination_id": "1", "entry_text": "Чужая заявка"}),
    # the school's entry
    ContestRoute("recognition.contest_entry", "GET", _entry(), S),
    ContestRoute("recognition.contest_entry_file", "GET", _entry("/file"), S),
    ContestRoute("recognition.contest_entry_withdraw", "POST", _entry("/withdraw"), S),
]
