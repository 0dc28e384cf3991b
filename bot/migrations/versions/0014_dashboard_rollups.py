"""dashboard roll-ups: closed days' figure parts, and the days to build again (issue 14)"""
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


def downgrade() -> None:
    op.drop_table('dashboard_dirty')
    op.drop_table('dashboard_days')
