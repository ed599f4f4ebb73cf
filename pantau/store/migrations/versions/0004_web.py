"""web workspace: saved searches, inbox, webhook deliveries, source switches

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 19:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import pantau.store.tables


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_saved_searches',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('alert', sa.Boolean(), nullable=False),
    sa.Column('webhook_url', sa.Text(), nullable=True),
    sa.Column('created_at', pantau.store.tables.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_alert_at', pantau.store.tables.UTCDateTime(timezone=True), nullable=True),
    sa.Column('alerts_sent', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'name', name='uq_web_saved_searches_name')
    )
    with op.batch_alter_table('web_saved_searches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_saved_searches_user_id'), ['user_id'], unique=False)

    op.create_table('web_inbox',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('saved_search_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', pantau.store.tables.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', pantau.store.tables.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['saved_search_id'], ['web_saved_searches.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('saved_search_id', 'post_id', name='uq_web_inbox_search_post')
    )
    with op.batch_alter_table('web_inbox', schema=None) as batch_op:
        batch_op.create_index('ix_web_inbox_user_read', ['user_id', 'read_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_inbox_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_inbox_post_id'), ['post_id'], unique=False)

    op.create_table('web_webhook_deliveries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('saved_search_id', sa.Integer(), nullable=False),
    sa.Column('at', pantau.store.tables.UTCDateTime(timezone=True), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['saved_search_id'], ['web_saved_searches.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('web_webhook_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_webhook_deliveries_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_webhook_deliveries_saved_search_id'), ['saved_search_id'],
                              unique=False)

    op.create_table('web_source_switches',
    sa.Column('source_id', sa.String(length=64), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('changed_by', sa.String(length=128), nullable=True),
    sa.Column('changed_at', pantau.store.tables.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('source_id')
    )


def downgrade() -> None:
    op.drop_table('web_source_switches')
    with op.batch_alter_table('web_webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_webhook_deliveries_saved_search_id'))
        batch_op.drop_index(batch_op.f('ix_web_webhook_deliveries_at'))
    op.drop_table('web_webhook_deliveries')
    with op.batch_alter_table('web_inbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_inbox_post_id'))
        batch_op.drop_index(batch_op.f('ix_web_inbox_created_at'))
        batch_op.drop_index('ix_web_inbox_user_read')
    op.drop_table('web_inbox')
    with op.batch_alter_table('web_saved_searches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_saved_searches_user_id'))
    op.drop_table('web_saved_searches')
