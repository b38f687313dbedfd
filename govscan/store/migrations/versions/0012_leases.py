"""leases and logs: who is carrying out a run and until when, its crawl log in the store, and
whether an inspection's runs are tasks on a queue

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

RUN_TABLES = ("runs", "account_runs")


def upgrade() -> None:
    for table in RUN_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("worker", sa.String(255)))
            batch.add_column(sa.Column("lease_until", sa.DateTime()))
            batch.add_column(sa.Column("log", sa.LargeBinary()))
    with op.batch_alter_table("inspections") as batch:
        batch.add_column(
            sa.Column("queued", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("inspections") as batch:
        batch.drop_column("queued")
    for table in RUN_TABLES:
        with op.batch_alter_table(table) as batch:
            for column in ("log", "lease_until", "worker"):
                batch.drop_column(column)
