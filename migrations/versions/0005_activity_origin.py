"""roadmap activities remember their origin across versions

Revision ID: 0005_activity_origin
Revises: 0004_published_templates
Create Date: 2026-11-22 22:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0005_activity_origin"
down_revision = "0004_published_templates"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("roadmap_activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin_activity_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_roadmap_activities_origin_activity_id"), ["origin_activity_id"], unique=False)


def downgrade():
    with op.batch_alter_table("roadmap_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roadmap_activities_origin_activity_id"))
        batch_op.drop_column("origin_activity_id")
