"""availability_probes: the scheduler's fetches of each homepage (站点无法访问)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 11:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "availability_probes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("elapsed_ms", sa.Integer(), nullable=True),
    )
    op.create_index("ix_availability_site_at", "availability_probes", ["site_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_availability_site_at", "availability_probes")
    op.drop_table("availability_probes")
