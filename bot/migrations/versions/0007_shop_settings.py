"""shop settings: overrides of settings and message templates edited in the browser, and their audit"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Overrides live in the database so every replica reads the same ones (the environment stays
    the default); each change is kept in config_changes: who, when, what, old → new."""
    op.create_table('setting_overrides',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_setting_overrides'))
    )
    op.create_table('template_overrides',
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('language', 'name', name=op.f('pk_template_overrides'))
    )
    op.create_table('config_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('staff_email', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_config_changes'))
    )
    op.create_index(op.f('ix_config_changes_changed_at'), 'config_changes', ['changed_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_config_changes_changed_at'), table_name='config_changes')
    op.drop_table('config_changes')
    op.drop_table('template_overrides')
    op.drop_table('setting_overrides')
