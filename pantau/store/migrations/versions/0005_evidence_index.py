"""index posts.evidence_sha256: `pantau retention` finds the posts of a snapshot without a table scan

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 21:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posts_evidence_sha256"), ["evidence_sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posts_evidence_sha256"))
