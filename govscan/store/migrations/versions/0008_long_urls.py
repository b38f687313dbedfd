"""URL columns and an archive's account name become Text: real pages carry URLs of 10,000
characters, and a feed's title is written by anyone

A PostgreSQL btree entry cannot exceed 2,704 bytes, so there the indexes on a run's URLs hold
each URL's md5 (``store.models.url_key``); SQLite keeps indexing the URL itself.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: The columns made Text, with the length each had.
COLUMNS = {
    "sites": {"url": 2000},
    "pages": {"url": 2000},
    "links": {"source": 2000, "target": 2000},
    "fetches": {"url": 2000, "final_url": 2000},
    "rendered_pages": {"url": 2000},
    "findings": {"url": 2000, "source": 2000},
    "account_findings": {"url": 2000, "source": 2000},
    "archive_reads": {"source": 2000, "nickname": 200},
}
#: The indexes on (run_id, URL): name → (table, URL column, unique).
INDEXES = {
    "ix_pages_run_url": ("pages", "url", True),
    "ix_links_run_target": ("links", "target", False),
    "ix_fetches_run_url": ("fetches", "url", True),
}


def upgrade() -> None:
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    if on_postgresql:
        drop_indexes()
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column, length in columns.items():
                batch.alter_column(column, type_=sa.Text(), existing_type=sa.String(length))
    if on_postgresql:
        for name, (table, column, unique) in INDEXES.items():
            op.create_index(name, table, ["run_id", sa.text(f"md5({column})")], unique=unique)


def downgrade() -> None:
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    if on_postgresql:
        drop_indexes()
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column, length in columns.items():
                batch.alter_column(column, type_=sa.String(length), existing_type=sa.Text())
    if on_postgresql:
        for name, (table, column, unique) in INDEXES.items():
            op.create_index(name, table, ["run_id", column], unique=unique)


def drop_indexes() -> None:
    for name, (table, _, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
