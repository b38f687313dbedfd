"""accounts, account_runs, archive_reads, account_findings: government new-media accounts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 11:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def run_reference() -> sa.Column:
    return sa.Column(
        "run_id",
        sa.Integer(),
        sa.ForeignKey("account_runs.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("account_id", sa.String(100), nullable=True),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("registered", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "account_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("summaries", sa.JSON(), nullable=True),
    )
    op.create_table(
        "archive_reads",
        sa.Column("id", sa.Integer(), primary_key=True),
        run_reference(),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("source", sa.String(2000), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("nickname", sa.String(200), nullable=True),
        sa.Column("user_name", sa.String(100), nullable=True),
        sa.Column("posts", sa.JSON(), nullable=False),
    )
    op.create_table(
        "account_findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        run_reference(),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("source", sa.String(2000), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    for table in ("account_findings", "archive_reads", "account_runs", "accounts"):
        op.drop_table(table)
