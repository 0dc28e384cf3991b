"""nlu labels: what the shop taught the bot (staff corrections, customers' clarified taps)"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Labels are the shop's own training set; `folded` lets the next message with the same words
    be understood as taught at once, before any retraining."""
    op.create_table('nlu_labels',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('folded', sa.String(length=500), nullable=False),
    sa.Column('intent', sa.String(length=30), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('who', sa.String(length=254), nullable=False),
    sa.Column('message_id', sa.BigInteger(), nullable=True),
    sa.Column('labelled_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nlu_labels'))
    )
    op.create_index(op.f('ix_nlu_labels_folded'), 'nlu_labels', ['folded'], unique=False)
    op.create_index(op.f('ix_nlu_labels_labelled_at'), 'nlu_labels', ['labelled_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_nlu_labels_labelled_at'), table_name='nlu_labels')
    op.drop_index(op.f('ix_nlu_labels_folded'), table_name='nlu_labels')
    op.drop_table('nlu_labels')
