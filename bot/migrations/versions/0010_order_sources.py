"""order sources: each platform delivery once, and the newest copy of each platform object"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'source_events',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), primary_key=True),
        sa.Column('platform', sa.String(20), nullable=False),
        sa.Column('event_id', sa.String(200), nullable=False),
        sa.Column('topic', sa.String(60), nullable=False),
        sa.Column('object_key', sa.String(100), nullable=True),
        sa.Column('order_code', sa.String(64), nullable=True),
        sa.Column('platform_updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('outcome', sa.String(20), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_source_events'),
        sa.UniqueConstraint('platform', 'event_id', name='uq_source_events_platform'),
    )
    op.create_index('ix_source_events_object', 'source_events', ['platform', 'object_key', 'platform_updated_at'])


def downgrade() -> None:
    op.drop_index('ix_source_events_object', table_name='source_events')
    op.drop_table('source_events')
