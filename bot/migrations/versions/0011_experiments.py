"""experiments: hold-outs and A/B variants of the journey, and each order's arm"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """An order's arm is written once (UNIQUE order_id); one experiment runs at a time (UNIQUE
    running_slot, NULL when not running)."""
    op.create_table('experiments',
    sa.Column('id', ID, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('running_slot', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experiments')),
    sa.UniqueConstraint('running_slot', name=op.f('uq_experiments_running_slot'))
    )
    op.create_table('experiment_assignments',
    sa.Column('id', ID, nullable=False),
    sa.Column('experiment_id', ID, nullable=False),
    sa.Column('order_id', ID, nullable=False),
    sa.Column('contact_id', ID, nullable=True),
    sa.Column('arm', sa.String(length=40), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['experiment_id'], ['experiments.id'], name=op.f('fk_experiment_assignments_experiment_id_experiments')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_experiment_assignments_order_id_orders')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_experiment_assignments_contact_id_contacts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experiment_assignments')),
    sa.UniqueConstraint('order_id', name=op.f('uq_experiment_assignments_order_id'))
    )
    op.create_index('ix_experiment_assignments_experiment_arm', 'experiment_assignments', ['experiment_id', 'arm'])
    op.create_index(op.f('ix_experiment_assignments_contact_id'), 'experiment_assignments', ['contact_id'])


def downgrade() -> None:
    op.drop_table('experiment_assignments')
    op.drop_table('experiments')
