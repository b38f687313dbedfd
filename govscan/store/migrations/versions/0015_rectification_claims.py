"""rectification claims: what a unit says it did about each problem of its 整改清单, kept
until the next inspection checks it

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rectification_claims",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("progress", sa.String(16), nullable=False),
        sa.Column("owner", sa.Text()),
        sa.Column("measures", sa.Text()),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_claims_subject", "rectification_claims", ["kind", "subject_id"])


def downgrade() -> None:
    op.drop_index("ix_claims_subject", table_name="rectification_claims")
    op.drop_table("rectification_claims")
