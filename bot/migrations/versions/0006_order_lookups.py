"""order lookups: order codes an identity looked up without owning the order"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """One row per identity and code, as asking again about a code already tried is not a new try
    (bot/lookups.py); in the database rather than Redis, so the limit holds on every replica."""
    op.create_table('order_lookups',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('identity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('looked_up_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['identity_id'], ['identities.id'], name=op.f('fk_order_lookups_identity_id_identities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lookups')),
    sa.UniqueConstraint('identity_id', 'code', name=op.f('uq_order_lookups_identity_id'))
    )


def downgrade() -> None:
    op.drop_table('order_lookups')
