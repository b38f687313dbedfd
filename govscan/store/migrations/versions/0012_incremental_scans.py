"""fetches keep a page's validators and whether a result was reused; links are found by their
source page: an unchanged page's links are read again from the last completed run

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
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
    # md5 on PostgreSQL, as the other URL indexes (0008)
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    source = sa.text("md5(source)") if on_postgresql else "source"
    op.create_index("ix_links_run_source", "links", ["run_id", source])


def downgrade() -> None:
    op.drop_index("ix_links_run_source", "links")
    with op.batch_alter_table("fetches") as batch:
        for column in COLUMNS:
            batch.drop_column(column.name)
