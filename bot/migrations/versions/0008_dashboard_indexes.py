"""dashboard: indexes for the owner's figures by period, and who answered each handoff first"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

INDEXES = [  # name, table, columns, included columns: each figure of app/figures.py reads its period
    # through one of these, and finds every column it needs in the index itself (an index-only scan)
    ('ix_messages_intent_created', 'messages', ['intent', 'created_at'], ['direction', 'channel', 'conversation_id']),
    ('ix_messages_kind_created', 'messages', ['kind', 'created_at'], ['direction', 'channel', 'status']),
    ('ix_orders_created_status', 'orders', ['created_at', 'status'], ['contact_id']),
    ('ix_orders_status_at', 'orders', ['status', 'status_at'], ['contact_id']),
    ('ix_outbox_kind_sent', 'outbox', ['kind', 'sent_at'], ['status', 'channel', 'dedupe_key']),
    ('ix_coupons_issued_at', 'coupons', ['issued_at'], ['contact_id', 'redeemed_at', 'redeemed_order_code']),
    ('ix_survey_answers_answered_at', 'survey_answers', ['answered_at'], ['kind', 'score', 'contact_id']),
]


def upgrade() -> None:
    """Handoffs remember who answered first, so response and resolution times can be read by person."""
    op.add_column('handoffs', sa.Column('staff_id', sa.Integer(), nullable=True))
    for name, table, columns, included in INDEXES:
        op.create_index(name, table, columns, postgresql_include=included)


def downgrade() -> None:
    for name, table, _, _ in INDEXES:
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('handoffs') as batch:
        batch.drop_column('staff_id')
