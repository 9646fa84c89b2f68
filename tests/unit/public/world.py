"""Builders for the public pages' tests: a school's published page with news, documents and
practices, mentors with (or without) a consent to publication, pictures with EXIF GPS. Each
builder acts as the owning organisation (its tenant scope) through the domain services and
commits, as a request would."""
from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

from PIL import Image

from core.extensions import db
from mentorship.people.publication import give_publication_consent, withdraw_publication_consent
from mentorship.public import documents, news, pages, practices
from mentorship.public.news import NewsFields
from mentorship.public.pages import PageFields
from mentorship.public.practices import PracticeFields
from tenants.context import tenant_scope, unscoped
from tenants.models import Organization
from tests.support.school import PDF, make_mentor

TODAY = date(2026, 11, 22)


def org_of(tree, key: str) -> Organization:
    return db.session.get(Organization, tree.ids[key])


def as_org(tree, key: str):
    return tenant_scope(tree.ids[key], tree.paths[key])


def slugs(tree, key: str) -> tuple[str, str]:
    """(region slug, organisation slug) of ``key``'s public address."""
    with unscoped("tests.public.slugs"):
        region = db.session.get(Organization, tree.ids[key.split("m")[0] if "m" in key else key])
        org = db.session.get(Organization, tree.ids[key])
        return region.slug, org.slug


def page_url(tree, key: str, tail: str = "") -> str:
    region, org = slugs(tree, key)
    if key.startswith("r") and "m" not in key:
        return f"/p/{region}/{tail}"
    return f"/p/{region}/{org}/{tail}"


def publish_page(tree, key: str = "r1m1s1", *, intro: str = "Наставничество в нашей школе.", publish: bool = True,
                 **fields) -> int:
    with as_org(tree, key):
        org = org_of(tree, key)
        page = pages.save_page(org, PageFields(intro=intro, address="г. Энск, ул. Школьная, 1", phone="+7 900 000-00-01",
                                               email="school@example.ru", **fields))
        if publish:
            pages.publish_page(org, TODAY)
        db.session.commit()
        return page.id


def add_news(tree, key: str = "r1m1s1", title: str = "День наставника", text: str = "Прошёл **день** наставника.",
             *, publish: bool = True, picture: tuple[str, bytes] | None = None, on: date = TODAY) -> int:
    with as_org(tree, key):
        org = org_of(tree, key)
        item = news.save_news(org, None, NewsFields(title=title, text=text, published_on=on, picture=picture,
                                                   picture_alt="Наставник и наставляемый" if picture else None), None)
        if publish:
            news.publish_news(org, item)
        db.session.commit()
        return item.id


def add_document(tree, key: str = "r1m1s1", title: str = "Положение о наставничестве", *, publish: bool = True) -> int:
    with as_org(tree, key):
        org = org_of(tree, key)
        document = documents.upload_document(org, title=title, category="regulation", file=("polozhenie.pdf", PDF),
                                             user=None)
        if publish:
            documents.publish_document(org, document)
        db.session.commit()
        return document.id


def add_practice(tree, key: str = "r1m1s1", title: str = "Школа молодого педагога", *, publish: bool = True) -> int:
    with as_org(tree, key):
        org = org_of(tree, key)
        practice = practices.save_practice(org, None, PracticeFields(title, "Кратко о практике.", "Текст практики."))
        if publish:
            practices.set_practice_public(org, practice, True)
        db.session.commit()
        return practice.id


def consenting_mentor(tree, key: str, name: str, *, consent: bool = True) -> int:
    """A mentor of school ``key`` (an adult teacher), with a valid publication consent if asked."""
    with as_org(tree, key):
        mentor = make_mentor(tree.ids[key], name, birth_date=date(1980, 4, 2), class_or_position="учитель математики")
        if consent:
            give_publication_consent(mentor, given_on=date(2026, 9, 1), scope_note="ФИО, должность, фотография",
                                     by_user_id=None, today=TODAY)
        db.session.commit()
        return mentor.id


def withdraw_consent(tree, key: str, participant_id: int) -> None:
    from mentorship.people.publication import valid_consent

    with as_org(tree, key):
        consent = valid_consent(participant_id)
        withdraw_publication_consent(consent, withdrawn_on=TODAY, reason="по заявлению", by_user_id=None, today=TODAY)
        db.session.commit()


def gps_jpeg(width: int = 64, height: int = 48) -> bytes:
    """A JPEG carrying EXIF with a GPS position (Moscow) and a camera model."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "Secret Camera 3000"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (55.0, 45.0, 21.0)
    gps[3], gps[4] = "E", (37.0, 37.0, 4.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def school_site(tree, key: str = "r1m1s1") -> SimpleNamespace:
    """A school with its page published: one published and one draft of each kind."""
    page = publish_page(tree, key)
    return SimpleNamespace(
        page=page,
        news=add_news(tree, key), draft_news=add_news(tree, key, "Черновик новости", publish=False),
        document=add_document(tree, key), draft_document=add_document(tree, key, "Черновой документ", publish=False),
        practice=add_practice(tree, key), draft_practice=add_practice(tree, key, "Черновая практика", publish=False),
    )


def honour_card(tree, key: str, mentor_id: int, *, publish: bool = True, photo: bool = True,
                achievements: str = "Победитель конкурса «Лучший педагог-наставник»") -> int:
    """The mentor's card on the school's board of honour (recognition's services), published if
    asked (which needs the mentor's publication consent)."""
    from mentorship.people.models import Participant
    from mentorship.recognition import board

    with as_org(tree, key):
        org = org_of(tree, key)
        person = db.session.get(Participant, mentor_id)
        picture = board.check_photo("photo.jpg", gps_jpeg(120, 160)) if photo else None
        card = board.create_card(person, board.CardData(display_name=person.full_name, position="учитель математики",
                                                        achievements=achievements), org=org, today=TODAY,
                                 photo=picture)
        if publish:
            board.publish_card(card, org=org, today=TODAY)
        db.session.commit()
        return card.id


def published_contest(tree, organiser: str, winners: list[tuple[str, int, str]], *, title: str = "Лучший наставник",
                      rules: bool = True) -> int:
    """A contest of ``organiser`` with published results: (school key, participant id, name)
    for each winner, by place (rows written directly: the contest's workflow is recognition's)."""
    from mentorship.recognition.models import Contest, ContestResultEntry, ContestRules

    with unscoped("tests.public.contest"):
        contest = Contest(org_id=tree.ids[organiser], title=title, description="Городской конкурс.",
                          status="published", aggregation="sum", nominations_open_on=date(2026, 9, 1),
                          nominations_close_on=date(2026, 9, 30), judging_until=date(2026, 10, 15),
                          results_on=date(2026, 10, 20), is_public=True)
        db.session.add(contest)
        db.session.flush()
        if rules:
            db.session.add(ContestRules(org_id=tree.ids[organiser], contest_id=contest.id, filename="polozhenie.pdf",
                                        content_type="application/pdf", size=len(PDF), data=PDF, is_public=True))
        for place, (school, participant_id, name) in enumerate(winners, start=1):
            db.session.add(ContestResultEntry(
                org_id=tree.ids[organiser], contest_id=contest.id, participant_id=participant_id,
                school_id=tree.ids[school], display_name=name, school_name=org_of(tree, school).name,
                nomination="Лучший педагог-наставник", place=place, score=100 - place, is_public=True))
        db.session.commit()
        return contest.id
