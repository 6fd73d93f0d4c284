"""rectification ledger (整改台账): one item per problem of a site across runs, its events, the runs taken in

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table('ledgeritem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', text(), nullable=False),
    sa.Column('problem', text(), nullable=False),
    sa.Column('fingerprints', sa.JSON(), nullable=True),
    sa.Column('site', text(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=True),
    sa.Column('kind', text(), nullable=False),
    sa.Column('severity', text(), nullable=False),
    sa.Column('message', text(), nullable=False),
    sa.Column('url', text(), nullable=False),
    sa.Column('first_run', sa.Integer(), nullable=False),
    sa.Column('first_found', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('last_run', sa.Integer(), nullable=False),
    sa.Column('last_seen', sa.Date(), nullable=False),
    sa.Column('status', text(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('ledgeritem', schema=None) as batch_op:
        batch_op.create_index('ix_ledgeritem_site_status', ['site', 'status'], unique=False)
        batch_op.create_index('ix_ledgeritem_status_deadline', ['status', 'deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledgeritem_problem'), ['problem'], unique=False)
    op.create_table('ledgerevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('kind', text(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('note', text(), nullable=True),
    sa.Column('by', text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['ledgeritem.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ledgerevent', schema=None) as batch_op:
        batch_op.create_index('ix_ledgerevent_item', ['item_id', 'id'], unique=False)
    op.create_table('ledgerrun',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('site', text(), nullable=False),
    sa.Column('applied_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['run.id'], ),
    sa.PrimaryKeyConstraint('run_id', 'site')
    )


def downgrade() -> None:
    op.drop_table('ledgerrun')
    with op.batch_alter_table('ledgerevent', schema=None) as batch_op:
        batch_op.drop_index('ix_ledgerevent_item')
    op.drop_table('ledgerevent')
    with op.batch_alter_table('ledgeritem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledgeritem_problem'))
        batch_op.drop_index('ix_ledgeritem_status_deadline')
        batch_op.drop_index('ix_ledgeritem_site_status')
    op.drop_table('ledgeritem')
