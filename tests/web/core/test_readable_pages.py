"""Pages read by people: numbers in the reader's language, no internal codes (issue 16).

Crawls, in Russian, the main pages of the three levels (school curator and admin, municipal
body, ministry) of the areas monitoring, reports, surveys, pairing, people, roadmaps and
region, plus the organisation pages: every page without an id, and every page with an id of
the isolation suite's registry that the level owns (the same objects: the school's world, the
monitoring world with its reports, the survey world). Then, in each page's visible text
(text nodes, ``title``, ``aria-label``, ``placeholder``):

- no figure with a decimal point (Russian writes «16,7»), dates and the test tree's own
  organisation names («Школа 1.1.1») aside;
- no internal code: snake_case tokens (``mentees_10_19``), «template:…» / «copy:…» sources,
  a model's class name (``AnalyticalReport``, ``Roadmap 6``), dotted action codes
  (``login.success``), IANA time-zone names (``Europe/Moscow``).

Nothing is allowed silently: ``ALLOWED`` lists each exception with its reason.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from core.extensions import db
from tests.isolation.registry import ROUTES, make_objects

AREAS = ("main", "orgs", "monitoring", "reports", "surveys", "pairing", "people", "roadmaps", "region")
LEVELS = {  # who reads, and which owners' id pages they open (their own organisation's objects)
    "school": ("r1m1s1.admin", "r1m1s1"),
    "curator": ("r1m1s1.staff", "r1m1s1"),
    "municipality": ("r1m1.admin", "r1m1"),
    "region": ("r1.admin", "r1"),
}
# Pages that are not pages for people (files, JSON, actions answered with a redirect).
NOT_PAGES = re.compile(r"(\.xlsx|\.docx|\.pdf|\.csv|/status|/progress|/download|/export|/scan|/file|/attachment"
                       r"|/evidence/\d+$|/logout|/language)")

# Exceptions, each with its reason: (pattern, reason).
ALLOWED: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^decimal point: .*«55\.5»"),
     "the targets page tells the ministry that a target may be typed with a point as well as a comma"),
]

DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")
TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
EMAIL = re.compile(r"\S+@\S+")
FILENAME = re.compile(r"[\w.-]+\.(?:pdf|docx?|xlsx?|csv|odt|ods|png|jpe?g|zip|txt)\b", re.IGNORECASE)
URL = re.compile(r"https?://\S+|\b[\w.-]+\.(?:test|ru|org|com)(?:/\S*)?")
DECIMAL_POINT = re.compile(r"\d\.\d")
CODES = {
    "snake_case": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "source": re.compile(r"\b(?:template|copy|roadmap|published):[\w-]+"),
    "dotted action": re.compile(r"\b[a-z]{2,}(?:_[a-z]+)*\.[a-z]{2,}(?:_[a-z]+)*\b"),
    "time zone": re.compile(r"\b(?:Europe|Asia|America|Africa|Australia|Pacific|Atlantic|Indian|Antarctica|Etc)/\w+"),
}


class _VisibleText(HTMLParser):
    """Text nodes outside script/style/template, and the attributes people read."""

    SKIP = {"script", "style", "template"}
    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def _model_names() -> list[str]:
    return sorted({mapper.class_.__name__ for mapper in db.Model.registry.mappers}, key=len, reverse=True)


def problems_in(text: str, *, org_names: list[str], model_names: list[str]) -> list[str]:
    """What a reader should not see in ``text``: figures with a decimal point and codes.
    ``org_names``: texts of the test data to pass over (organisation names, a roadmap's own
    outline numbers «2.1»)."""
    for name in org_names:
        text = re.sub(rf"(?<![\w.,]){re.escape(name)}(?![\w])", " ", text)
    text = FILENAME.sub(" ", EMAIL.sub(" ", URL.sub(" ", text)))
    found = []
    numbers = DATE.sub(" ", TIME.sub(" ", text))
    for line in numbers.splitlines():
        if DECIMAL_POINT.search(line):
            found.append(f"decimal point: {line.strip()[:120]}")
    for kind, pattern in CODES.items():
        for match in pattern.finditer(text):
            found.append(f"{kind}: {match.group(0)}")
    for name in model_names:
        single = len(re.findall(r"[A-Z]", name)) == 1
        pattern = rf"\b{name}\s+\d+\b" if single else rf"\b{name}\b"
        for match in re.finditer(pattern, text):
            found.append(f"model: {match.group(0)}")
    return [p for p in found if not any(allowed.search(p) for allowed, _reason in ALLOWED)]


def _pages_without_id(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods or rule.endpoint.split(".")[0] not in AREAS:
            continue
        url = rule.rule
        if not NOT_PAGES.search(url):
            urls.append(url)
    return sorted(set(urls))


def _pages_with_id(tree, objects, owner: str) -> list[str]:
    urls = []
    for route in ROUTES:
        if route.method != "GET" or route.owner != owner or route.insider:
            continue
        if route.endpoint.split(".")[0] not in AREAS:
            continue
        url = route.url(tree, objects)
        if not NOT_PAGES.search(url):
            urls.append(url)
    return sorted(set(urls))


def crawl(app, client, urls: list[str]) -> dict[str, str]:
    """Each URL's visible text (pages answering 200 with HTML; redirects are followed)."""
    texts = {}
    for url in urls:
        response = client.get(url, follow_redirects=True)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        texts[url] = visible_text(response.get_data(as_text=True))
    return texts


def _in_russian(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "ru"


@pytest.fixture
def world(app, tree):
    with app.app_context():
        objects = make_objects(tree, ("w", "m", "s"))
        from mentorship.pairing.models import Programme
        from mentorship.roadmaps.models import RoadmapActivity, RoadmapStage
        from tenants.context import unscoped
        from tenants.models import Organization

        with unscoped("tests.readable_pages"):
            names = [name for (name,) in db.session.execute(db.select(Organization.name))]
            # the test data's programme titles («Программа teacher_pupil», tests/support/school.py)
            names += [title for (title,) in db.session.execute(db.select(Programme.title))]
            # a roadmap's outline numbers («2.1 Сбор информации…») are the document's text
            names += [number for model in (RoadmapStage, RoadmapActivity)
                      for (number,) in db.session.execute(db.select(model.number)) if number]
        models = _model_names()
    return objects, sorted(names, key=len, reverse=True), models


@pytest.mark.parametrize("level", list(LEVELS))
def test_pages_show_russian_numbers_and_no_internal_codes(app, tree, login, world, level):
    objects, org_names, model_names = world
    who, owner = LEVELS[level]
    client = app.test_client()
    login(client, tree.emails[who])
    _in_russian(client)
    urls = _pages_without_id(app) + _pages_with_id(tree, objects, owner)
    texts = crawl(app, client, urls)
    assert len(texts) > 10, sorted(texts)  # the crawl reached the pages
    problems = {url: found for url, text in texts.items()
                if (found := problems_in(text, org_names=org_names, model_names=model_names))}
    assert not problems, "\n".join(f"{url}: {found}" for url, found in sorted(problems.items()))


def test_the_checks_catch_what_the_issue_found():
    """The patterns above catch each example of issue 16, and pass Russian figures and dates."""
    models = ["AnalyticalReport", "Roadmap"]
    examples = ["0.5 / 16.7 / 100.0", "создана — «template:kirov-region-2020-2024»", "mentees_10_19, %",
                "Roadmap 6", "AnalyticalReport 1", "Europe/Moscow", "login.success"]
    for example in examples:
        assert problems_in(example, org_names=[], model_names=models), example
    clean = "Доля 16,7 % на 20.12.2026 в 10:30; Школа 1.1.1; 1 234 пары; ivanov@school.ru"
    assert problems_in(clean, org_names=["Школа 1.1.1"], model_names=models) == []


def test_figures_read_with_a_decimal_comma(app, tree, login, world):
    """Pages of figures show the Russian decimal comma (one decimal for a share)."""
    objects, _names, _models = world
    client = app.test_client()
    login(client, tree.emails["r1.admin"])
    _in_russian(client)
    m = objects["m"]
    for url in ("/monitoring/dashboard", f"/monitoring/periods/{m.period}", f"/reports/{m.municipal_report}"):
        text = visible_text(client.get(url, follow_redirects=True).get_data(as_text=True))
        assert re.search(r"\d,\d", text), url
