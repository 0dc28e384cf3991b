"""returns: return requests with their state history and photos; orders get a direction (return parcels)"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
ORDER_INDEXES = [('ix_orders_created_status', ['created_at', 'status']), ('ix_orders_status_at', ['status', 'status_at'])]


def upgrade() -> None:
    """A return parcel is an order row with direction 'return', so carrier webhooks and polling
    track it like any parcel; existing orders are outbound."""
    with op.batch_alter_table('orders') as batch:
        batch.add_column(sa.Column('direction', sa.String(length=8), server_default='outbound', nullable=False))
    for name, columns in ORDER_INDEXES:  # the dashboard's order figures count outbound orders from the index alone
        op.drop_index(name, table_name='orders')
        op.create_index(name, 'orders', columns, postgresql_include=['contact_id', 'direction'])
    op.create_table('return_requests',
    sa.Column('id', ID, nullable=False),
    sa.Column('order_id', ID, nullable=False),
    sa.Column('contact_id', ID, nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=True),
    sa.Column('resolution', sa.String(length=10), nullable=True),
    sa.Column('exchange_wish', sa.String(length=200), nullable=True),
    sa.Column('refund_method', sa.String(length=20), nullable=True),
    sa.Column('refund_account', sa.String(length=100), nullable=True),
    sa.Column('verdict', sa.String(length=20), nullable=True),
    sa.Column('decision_note', sa.String(length=500), nullable=True),
    sa.Column('return_order_id', sa.Integer(), nullable=True),
    sa.Column('exchange_tracking_code', sa.String(length=64), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_return_requests_contact_id_contacts')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_return_requests_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_requests'))
    )
    op.create_index(op.f('ix_return_requests_order_id'), 'return_requests', ['order_id'], unique=False)
    op.create_index(op.f('ix_return_requests_contact_id'), 'return_requests', ['contact_id'], unique=False)
    op.create_index(op.f('ix_return_requests_state'), 'return_requests', ['state'], unique=False)
    op.create_index(op.f('ix_return_requests_requested_at'), 'return_requests', ['requested_at'], unique=False)
    op.create_table('return_events',
    sa.Column('id', ID, nullable=False),
    sa.Column('request_id', ID, nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=10), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['return_requests.id'], name=op.f('fk_return_events_request_id_return_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_events')),
    sa.UniqueConstraint('request_id', 'state', name='uq_return_events_request_state')
    )
    op.create_index(op.f('ix_return_events_request_id'), 'return_events', ['request_id'], unique=False)
    op.create_table('return_photos',
    sa.Column('id', ID, nullable=False),
    sa.Column('request_id', ID, nullable=True),
    sa.Column('owner', sa.String(length=160), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['return_requests.id'], name=op.f('fk_return_photos_request_id_return_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_photos')),
    sa.UniqueConstraint('owner', 'digest', name='uq_return_photos_owner_digest')
    )
    op.create_index(op.f('ix_return_photos_request_id'), 'return_photos', ['request_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_return_photos_request_id'), table_name='return_photos')
    op.drop_table('return_photos')
    op.drop_index(op.f('ix_return_events_request_id'), table_name='return_events')
    op.drop_table('return_events')
    for column in ('requested_at', 'state', 'contact_id', 'order_id'):
        op.drop_index(op.f(f'ix_return_requests_{column}'), table_name='return_requests')
    op.drop_table('return_requests')
    for name, columns in ORDER_INDEXES:
        op.drop_index(name, table_name='orders')
        op.create_index(name, 'orders', columns, postgresql_include=['contact_id'])
    with op.batch_alter_table('orders') as batch:
        batch.drop_column('direction')
