"""API tokens of web accounts (JSON API under /api/v1/): only each token's SHA-256 is kept; a site's findings of
a run by index (the site page at province scale)

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table('apitoken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', text(), nullable=False),
    sa.Column('created_at', when(), nullable=False),
    sa.Column('last_used', when(), nullable=True),
    sa.Column('revoked_at', when(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['webuser.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('apitoken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_apitoken_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.create_index('ix_finding_run_site', ['run_id', 'site'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_run_site')
    with op.batch_alter_table('apitoken', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_apitoken_user_id'))
    op.drop_table('apitoken')
