from __future__ import annotations

import sqlalchemy as sa

from config import DevelopmentConfig, config_for
from core.extensions import db
from demo.tenants import load_demo
from tenants.context import unscoped
from tenants.models import Membership, Organization, User


def test_development_defaults_are_embedded(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    config = DevelopmentConfig()
    assert config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert config.CELERY["broker_url"].startswith("sqla+sqlite:///")
    assert config.RATELIMIT_STORAGE_URI == "memory://"
    assert config.CELERY["task_acks_late"] and config.CELERY["worker_prefetch_multiplier"] == 1
    assert config.CELERY["timezone"] == "Europe/Moscow"


def test_redis_url_drives_broker_and_rate_limits(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    config = config_for("development")
    assert config.CELERY["broker_url"] == "redis://cache:6379/0"
    assert config.RATELIMIT_STORAGE_URI == "redis://cache:6379/0"
    # visibility timeout longer than twice the longest task
    assert config.CELERY["broker_transport_options"]["visibility_timeout"] > 2 * 3600


def test_demo_data_loads_idempotently(ctx):
    first = load_demo()
    with unscoped("test"):
        counts = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Organization, User, Membership)]
    second = load_demo()
    with unscoped("test"):
        again = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Organization, User, Membership)]
        names = set(db.session.scalars(sa.select(Organization.name)))
    assert counts == again and first == second
    assert counts[0] == 12  # four regions: ministry, municipal body, school each
    assert {"МБОУ СОШ с УИОП № 9 г. Кирова", "ГБДОУ детский сад № 49 Приморского района Санкт-Петербурга"} <= names
    roles = {login.role for login in first}
    assert {"super-admin", "ministry_admin", "ministry_analyst", "municipal_coordinator",
            "municipal_specialist", "school_principal", "school_curator"} <= roles


def test_school_demo_fills_the_kirov_school_once(ctx):
    from demo.school import load_school_demo
    from mentorship.pairing.models import Mentorship
    from mentorship.people.models import Participant
    from tenants.context import tenant_scope

    load_demo()
    with unscoped("test"):
        school = db.session.scalar(sa.select(Organization).where(Organization.name == "МБОУ СОШ с УИОП № 9 г. Кирова"))
    assert load_school_demo(school) is True
    assert load_school_demo(school) is False  # idempotent
    with tenant_scope(school.id, school.path):
        people = db.session.scalars(sa.select(Participant)).all()
        pairs = db.session.scalars(sa.select(Mentorship)).all()
        assert len(people) == 20 and all(p.consents for p in people)
        assert len(pairs) == 1 and pairs[0].status == "active"
        from mentorship.surveys.models import SurveyCampaign, SurveyInvitation, SurveyResponse
        from mentorship.surveys.results import campaign_results

        campaign = db.session.scalar(sa.select(SurveyCampaign).where(SurveyCampaign.org_id == school.id))
        invitations = db.session.scalars(sa.select(SurveyInvitation)).all()
        # The pair's teacher (own e-mail) and the pupil (through the representative's address).
        assert sorted((i.role, i.address_kind) for i in invitations) == [("mentee", "representative"),
                                                                          ("mentor", "self")]
        assert db.session.scalar(sa.select(sa.func.count(SurveyResponse.id))) == 10
        assert campaign_results(campaign.id).index is not None
