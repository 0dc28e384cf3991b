"""dashboard: indexes for the owner's figures by period, and who answered each handoff first"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0006'
branch_labels = None
depends_on = None

INDEXES = [  # name, table, columns: each figure of app/figures.py reads one period range through one of these
    ('ix_messages_intent_created', 'messages', ['intent', 'created_at']),
    ('ix_messages_kind_created', 'messages', ['kind', 'created_at']),
    ('ix_orders_created_status', 'orders', ['created_at', 'status']),
    ('ix_orders_status_at', 'orders', ['status', 'status_at']),
    ('ix_outbox_sent_at', 'outbox', ['sent_at']),
    ('ix_coupons_issued_at', 'coupons', ['issued_at']),
    ('ix_survey_answers_answered_at', 'survey_answers', ['answered_at']),
]


def upgrade() -> None:
    """Handoffs remember who answered first, so response and resolution times can be read by person."""
    op.add_column('handoffs', sa.Column('staff_id', sa.Integer(), nullable=True))
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('handoffs') as batch:
        batch.drop_column('staff_id')
