"""findings of several rules about one thing share a problem id (one row per problem)

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('problem', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))
        batch_op.create_index('ix_finding_problem', ['problem'], unique=False)
    op.execute("UPDATE finding SET problem = fingerprint WHERE problem = ''")


def downgrade() -> None:
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_problem')
        batch_op.drop_column('problem')
