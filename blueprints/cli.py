"""Command-line tools for accounts: ``flask users create-superadmin`` (the demo's commands:
demo/cli.py)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from core.extensions import db
from tenants.accounts import find_user_by_email, set_password
from tenants.context import unscoped
from tenants.models import User

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create-superadmin")
@click.option("--email", required=True)
@click.option("--name", default="Super-admin")
@click.password_option()
def create_superadmin(email: str, name: str, password: str) -> None:
    """Create a super-admin (or make an existing user one)."""
    with unscoped("cli.create_superadmin"):
        user = find_user_by_email(email)
        if user is None:
            user = User(email=email.strip().lower(), full_name=name)
            db.session.add(user)
        user.is_superadmin = True
        set_password(user, password)
        db.session.commit()
    click.echo(f"super-admin {email} ready")


def register_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
