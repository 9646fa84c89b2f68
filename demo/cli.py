"""Command-line tools for the demo: ``flask demo load`` (the demo regions, users and a school's
people; prints the logins) and ``flask demo synthetic-region`` (a large region for benchmarks).
Never in production."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from core.extensions import db
from demo.tenants import DEMO_PASSWORD, load_demo
from tenants.context import unscoped

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load the demo regions and users (idempotent) and print the logins."""
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("demo data (with a published password) is never loaded in production")
    logins = load_demo()
    public_url = _load_school_demo()
    if public_url:
        click.echo(f"The demo school's public page (no login): {public_url}")
    click.echo("Demo logins (password for all: %s):" % DEMO_PASSWORD)
    width = max(len(login.email) for login in logins)
    for login in logins:
        click.echo(f"  {login.email.ljust(width)}  {login.role:<22}  {login.organization}")


def _load_school_demo() -> str | None:
    """People, a programme and a pair for the Kirov demo school (its curator's login shows them);
    the region's resources around it (library, experts, a course), its awards and board of
    honour, and its public page, whose path is returned."""
    import sqlalchemy as sa

    from demo.library import load_library_demo
    from demo.public import load_public_demo
    from demo.recognition import load_recognition_demo
    from demo.school import load_school_demo
    from demo.training import load_training_demo
    from tenants.models import Organization

    with unscoped("demo.school_lookup"):
        school = db.session.scalar(sa.select(Organization).where(Organization.name == DEMO_SCHOOL))
    if school is None:
        return None
    load_school_demo(school)
    load_library_demo(school)
    load_training_demo(school)
    load_recognition_demo(school)
    return load_public_demo(school)


DEMO_SCHOOL = "МБОУ СОШ с УИОП № 9 г. Кирова"


@demo_cli.command("synthetic-region")
@click.option("--schools", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--participants", type=click.IntRange(min=5), default=50_000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
def demo_synthetic_region(schools: int, participants: int, seed: int) -> None:
    """Generate a synthetic region (deterministic from the seed) for benchmarks and demos."""
    import time

    from demo.synthetic_region import generate

    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("synthetic regions are never generated in production")
    started = time.perf_counter()
    try:
        region = generate(schools=schools, participants=participants, seed=seed)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"region {region.ministry_id} ({region.ministry_path}): {region.municipalities} municipal bodies, "
               f"{region.schools} schools in {time.perf_counter() - started:.1f} s")
    for table, count in sorted(region.counts.items()):
        click.echo(f"  {table:<22} {count:>10,}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(demo_cli)
