"""prune the indexes that storing and scoring posts paid for and no query used: each is one more B-tree
insert per row written (a page-cache miss per row at a million posts when its keys are random)

posts: platform and source_id go (uq_posts_platform_id and ix_posts_source_author_hash start with them),
content_hash goes (looked up only with source and author), indexed_at goes (no query searches by it
alone); author_handle becomes (platform, author_handle), which account lookups and counts use — the
planner preferred the platform prefix of the unique index to author_handle alone.
predictions: post_id goes (uq_prediction starts with it); task and label become one (task, label) index.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 02:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: single-column indexes of 0001 that go: name -> column
POSTS = {
    "ix_posts_platform": "platform",
    "ix_posts_source_id": "source_id",
    "ix_posts_content_hash": "content_hash",
    "ix_posts_indexed_at": "indexed_at",
    "ix_posts_author_handle": "author_handle",
}
PREDICTIONS = {
    "ix_predictions_post_id": "post_id",
    "ix_predictions_task": "task",
    "ix_predictions_label": "label",
}


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        for name in POSTS:
            batch_op.drop_index(name)
        batch_op.create_index("ix_posts_platform_author", ["platform", "author_handle"], unique=False)
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        for name in PREDICTIONS:
            batch_op.drop_index(name)
        batch_op.create_index("ix_predictions_task_label", ["task", "label"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.drop_index("ix_predictions_task_label")
        for name, column in PREDICTIONS.items():
            batch_op.create_index(name, [column], unique=False)
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_platform_author")
        for name, column in POSTS.items():
            batch_op.create_index(name, [column], unique=False)
