"""dashboard roll-ups: closed days' figure parts, the days to build again, and an index for the
waiting count every inbox and dashboard page shows (issue 14)"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'dashboard_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('parts', sa.JSON(), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('day', 'channel', name=op.f('pk_dashboard_days')),
    )
    op.create_table(
        'dashboard_dirty',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_dashboard_dirty')),
    )
    waiting = sa.text("mode = 'human' AND assigned_staff_id IS NULL")
    op.create_index('ix_conversations_waiting', 'conversations', ['id'], postgresql_where=waiting, sqlite_where=waiting)


def downgrade() -> None:
    op.drop_index('ix_conversations_waiting', table_name='conversations')
    op.drop_table('dashboard_dirty')
    op.drop_table('dashboard_days')
