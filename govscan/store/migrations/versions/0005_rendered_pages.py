"""rendered_pages: pages opened in the browser for the accessibility and 适老化 checks

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rendered_pages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
    )
    op.create_index("ix_rendered_pages_run_id", "rendered_pages", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_rendered_pages_run_id", "rendered_pages")
    op.drop_table("rendered_pages")
