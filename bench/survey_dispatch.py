"""Survey dispatch: ``send_pending`` mailing N invitations to a loopback SMTP server, next to a
bare ``smtplib`` loop sending the same messages over one connection, and the worker's memory
at N and N/2.

* The SMTP server is aiosmtpd in a process of its own (a handler that only counts), so it does
  not share the GIL with the sender.
* The database: PostgreSQL (the server DATABASE_URL names, else a throwaway one started by
  tests.support.services), or SQLite on a temporary file with ``--sqlite``. N participants with
  a consent and N e-mail invitations are inserted set-based.
* (a) bare loop: ``build_message`` + ``send_message`` of the same texts (the same Russian
  wording, a signed link each) over ONE connection, nothing else (in a fresh process too);
  (b) ``send_pending`` with SURVEY_MAIL_RATE=0 and the default batch (SURVEY_MAIL_BATCH=200):
  claims, reads addresses and consent, sends a batch per connection, records it — in a
  subprocess, as a worker would, reporting its time and the growth of its max RSS.
* Memory: (b) again for N/2 (the invitations reset to pending), then both traced with
  tracemalloc (peak of Python allocations during send_pending), unless ``--no-trace``.

    .venv/bin/python -m bench.survey_dispatch [--n 100000] [--sqlite] [--no-trace]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta

import sqlalchemy as sa

PUBLIC_BASE_URL = "https://nastavnik.example.org"
# The worker sends on the wall clock: the campaign is open around today.
OPENS = date.today() - timedelta(days=21)
EXPIRES = date.today() + timedelta(days=38)
CHUNK = 10_000


# -- the SMTP server: its own process, counting ------------------------------------------------

def _serve(port: int, counter, ready) -> None:
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            counter.value += 1
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


class CountingServer:
    def __init__(self):
        from tests.support.services import free_port

        self.port = free_port()
        context = multiprocessing.get_context("spawn")
        self.counter = context.Value("q", 0, lock=False)
        ready = context.Event()
        self.process = context.Process(target=_serve, args=(self.port, self.counter, ready), daemon=True)
        self.process.start()
        if not ready.wait(30):
            raise RuntimeError("the SMTP server did not start")

    def take(self) -> int:
        """Messages received since the last call."""
        time.sleep(0.2)
        count, self.counter.value = self.counter.value, 0
        return count

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(10)


# -- the app and the data ------------------------------------------------------------------------

def _app(url: str, port: int):
    from config import TestingConfig
    from factory import create_app

    return create_app(TestingConfig(), SQLALCHEMY_DATABASE_URI=url, PUBLIC_BASE_URL=PUBLIC_BASE_URL,
                      MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=30,
                      SURVEY_MAIL_RATE=0)


def populate(app, n: int) -> int:
    """N mentors with an e-mail and a consent, and N pending e-mail invitations; the campaign id."""
    from core.extensions import db
    from mentorship.people.models import Consent, Participant
    from mentorship.surveys.models import SurveyInvitation
    from tenants.context import tenant_scope, unscoped
    from tests.support.factories import build_tree
    from tests.support.surveys import make_campaign, make_template

    with app.app_context():
        db.drop_all()
        db.create_all()
        tree = build_tree()
        org_id, path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]
        with tenant_scope(org_id, path):
            template = make_template(org_id)
            campaign = make_campaign(org_id, template, "Итоговое анкетирование", opens_on=OPENS, closes_on=EXPIRES)
            db.session.commit()
            campaign_id = campaign.id
        common = {"org_id": org_id, "org_path": path}
        with unscoped("bench.surveys.populate"):
            first = (db.session.scalar(sa.select(sa.func.max(Participant.id))) or 0) + 1
            for start in range(0, n, CHUNK):
                ids = range(first + start, first + min(start + CHUNK, n))
                db.session.execute(Participant.__table__.insert(), [
                    {**common, "id": i, "full_name": f"Наставник {i}", "category": "teacher", "email": f"p{i}@example.org",
                     "in_mentor_bank": False, "in_mentee_bank": False, "special_needs": False} for i in ids])
                db.session.execute(Consent.__table__.insert(), [
                    {**common, "participant_id": i, "given_by": "participant", "purpose": "участие",
                     "policy_version": "1.0", "given_on": date(2025, 9, 1)} for i in ids])
                db.session.execute(SurveyInvitation.__table__.insert(), [
                    {**common, "campaign_id": campaign_id, "recipient_key": f"mentor:{i}", "role": "mentor",
                     "participant_id": i, "channel": "email", "address_kind": "self", "status": "pending",
                     "expires_on": EXPIRES, "attempts": 0, "reminders_sent": 0} for i in ids])
                db.session.commit()
            if db.engine.dialect.name == "postgresql":
                db.session.execute(sa.text(
                    "SELECT setval(pg_get_serial_sequence('participants', 'id'), (SELECT max(id) FROM participants))"))
                db.session.commit()
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
    return campaign_id


def reset(app, campaign_id: int) -> None:
    from core.extensions import db
    from mentorship.surveys.models import SurveyCampaign, SurveyInvitation
    from tenants.context import unscoped

    with app.app_context(), unscoped("bench.surveys.reset"):
        db.session.execute(sa.update(SurveyInvitation).values(status="pending", sent_at=None, claimed_at=None)
                           .execution_options(synchronize_session=False))
        db.session.execute(sa.update(SurveyCampaign).where(SurveyCampaign.id == campaign_id)
                           .values(dispatch_state="idle", dispatch_total=0, dispatch_done=0)
                           .execution_options(synchronize_session=False))
        db.session.commit()
        db.session.remove()


# -- (a) the bare loop ---------------------------------------------------------------------------

def bare_loop(app, n: int, port: int) -> float:
    """Seconds to build and send the same N messages over one SMTP connection."""
    import smtplib

    from core.mail import build_message
    from mentorship.surveys import mail as survey_mail
    from mentorship.surveys.links import make_link_token

    text = survey_mail.CampaignText("Итоговое анкетирование", "МБОУ СОШ № 1", "completion")
    with app.app_context():
        sender = app.config["MAIL_DEFAULT_SENDER"]
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            for i in range(n):
                link = f"{PUBLIC_BASE_URL}/s/{make_link_token(i + 1)}"
                subject, body = survey_mail.invitation(text, role="mentor", address_kind="self", link=link,
                                                       answer_by=EXPIRES)
                smtp.send_message(build_message(f"p{i}@example.org", subject, body, sender))
        return time.perf_counter() - started


# -- (b) send_pending in a worker process --------------------------------------------------------

def child(url: str, port: int, campaign_id: int, limit: int, trace: bool) -> None:
    import tracemalloc

    from mentorship.surveys.dispatch import send_pending

    app = _app(url, port)
    if campaign_id == 0:  # the bare loop, in a fresh process like the worker
        print(json.dumps({"sent": limit, "seconds": bare_loop(app, limit, port)}))
        return
    with app.app_context():
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        sent = send_pending(campaign_id, now=None, limit=limit)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else None
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"sent": sent, "seconds": seconds, "rss_delta_kb": rss_after - rss_before,
                      "rss_kb": rss_after, "peak": peak}))


def run_child(url: str, port: int, campaign_id: int, limit: int, trace: bool = False) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.survey_dispatch", "--child", url, str(port), str(campaign_id), str(limit),
         "1" if trace else "0"],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- main ----------------------------------------------------------------------------------------

def _database(use_sqlite: bool, tmp: str):
    """(url, cleanup)."""
    if use_sqlite:
        return f"sqlite:///{tmp}/bench-surveys.sqlite", lambda: None
    server_url, server = os.environ.get("DATABASE_URL", ""), None
    if not server_url.startswith("postgresql"):
        from tests.support.services import start_postgres

        server = start_postgres()
        server_url = server.url
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"bench_surveys_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def cleanup():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        if server is not None:
            server.stop()

    return sa.make_url(server_url).set(database=name).render_as_string(hide_password=False), cleanup


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true", help="SQLite on a temporary file instead of PostgreSQL")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--child", nargs=5, metavar=("URL", "PORT", "CAMPAIGN", "LIMIT", "TRACE"))
    args = parser.parse_args(argv)
    if args.child:
        url, port, campaign_id, limit, trace = args.child
        child(url, int(port), int(campaign_id), int(limit), trace == "1")
        return

    n, half = args.n, args.n // 2
    smtp = CountingServer()
    with tempfile.TemporaryDirectory() as tmp:
        url, cleanup = _database(args.sqlite, tmp)
        backend = "sqlite" if args.sqlite else "postgresql"
        try:
            app = _app(url, smtp.port)
            started = time.perf_counter()
            campaign_id = populate(app, n)
            print(f"survey dispatch, {backend}, N = {n:,}: {n:,} participants, consents and invitations inserted "
                  f"in {time.perf_counter() - started:.1f} s; batch {app.config['SURVEY_MAIL_BATCH']}, rate unlimited; "
                  f"python {sys.version.split()[0]}")

            bare_s = run_child(url, smtp.port, 0, n)["seconds"]
            assert smtp.take() == n
            full = run_child(url, smtp.port, campaign_id, n)
            assert full["sent"] == n and smtp.take() == n, full
            bare_rate, rate = n / bare_s, n / full["seconds"]
            print(f"(a) bare smtplib loop, one connection: {bare_rate:>8,.0f} messages/s ({bare_s:.1f} s)")
            print(f"(b) send_pending:                      {rate:>8,.0f} invitations/s ({full['seconds']:.1f} s)")
            print(f"    ratio (b)/(a): {rate / bare_rate:.2f} (target ≥ 0.5)")

            reset(app, campaign_id)
            part = run_child(url, smtp.port, campaign_id, half)
            assert part["sent"] == half and smtp.take() == half, part
            print(f"worker max-RSS growth during send_pending: N = {n:,}: {full['rss_delta_kb'] / 1024:.1f} MiB, "
                  f"N/2 = {half:,}: {part['rss_delta_kb'] / 1024:.1f} MiB "
                  f"(max RSS {full['rss_kb'] / 1024:.0f} / {part['rss_kb'] / 1024:.0f} MiB)")
            if not args.no_trace:
                peaks = {}
                for size in (half, n):
                    reset(app, campaign_id)
                    traced = run_child(url, smtp.port, campaign_id, size, trace=True)
                    assert traced["sent"] == size and smtp.take() == size, traced
                    peaks[size] = traced["peak"]
                print(f"tracemalloc peak during send_pending: N = {n:,}: {peaks[n] / 2**20:.2f} MiB, "
                      f"N/2 = {half:,}: {peaks[half] / 2**20:.2f} MiB, ratio {peaks[n] / peaks[half]:.2f} "
                      f"(flat ≈ 1.0)")
            with app.app_context():
                from core.extensions import db

                db.session.remove()
                db.engine.dispose()
        finally:
            smtp.stop()
            cleanup()


if __name__ == "__main__":
    main()
