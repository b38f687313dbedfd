"""account batches: an inspection reads its accounts' archives in batches, a run each

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 09:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account_runs") as batch:
        batch.add_column(sa.Column("batch", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("account_runs") as batch:
        batch.drop_column("batch")
