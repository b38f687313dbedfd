"""inspections: one night's work as a stored entity; each run belongs to one

Runs stored before have no inspection.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

RUN_TABLES = ("runs", "account_runs")


def upgrade() -> None:
    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("sites", sa.JSON(), nullable=False),
        sa.Column("accounts", sa.JSON(), nullable=False),
        sa.Column("out", sa.Text(), nullable=False),
        sa.Column("notify", sa.Boolean(), nullable=False),
    )
    for table in RUN_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("inspection_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                f"fk_{table}_inspection_id", "inspections", ["inspection_id"], ["id"]
            )
            batch.create_index(f"ix_{table}_inspection_id", ["inspection_id"])


def downgrade() -> None:
    for table in RUN_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_inspection_id")
            batch.drop_constraint(f"fk_{table}_inspection_id", type_="foreignkey")
            batch.drop_column("inspection_id")
    op.drop_table("inspections")
