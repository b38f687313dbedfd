"""fetches keep a page's validators, for the next run's conditional requests, and whether a
result was reused from an earlier run

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

COLUMNS = (
    sa.Column("etag", sa.Text(), nullable=True),
    sa.Column("last_modified", sa.Text(), nullable=True),
    sa.Column("reuse", sa.String(16), nullable=True),
    sa.Column("checked_at", sa.DateTime(), nullable=True),
)


def upgrade() -> None:
    with op.batch_alter_table("fetches") as batch:
        for column in COLUMNS:
            batch.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("fetches") as batch:
        for column in COLUMNS:
            batch.drop_column(column.name)
