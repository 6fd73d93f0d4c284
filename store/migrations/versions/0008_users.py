"""web accounts of gkaudit serve: users with a role and a scope, sessions, login attempts, the audit log

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table('webuser',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', text(), nullable=False),
    sa.Column('display', text(), nullable=False),
    sa.Column('role', text(), nullable=False),
    sa.Column('password_hash', text(), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', when(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('userscope',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', text(), nullable=False),
    sa.Column('value', text(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['webuser.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('userscope', schema=None) as batch_op:
        batch_op.create_index('ix_userscope_user', ['user_id'], unique=False)
    op.create_table('websession',
    sa.Column('token_hash', text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf', text(), nullable=False),
    sa.Column('created_at', when(), nullable=False),
    sa.Column('expires_at', when(), nullable=False),
    sa.Column('last_seen', when(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['webuser.id'], ),
    sa.PrimaryKeyConstraint('token_hash')
    )
    with op.batch_alter_table('websession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_websession_user_id'), ['user_id'], unique=False)
    op.create_table('auditlog',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', when(), nullable=False),
    sa.Column('actor', text(), nullable=False),
    sa.Column('action', text(), nullable=False),
    sa.Column('target', text(), nullable=False),
    sa.Column('address', text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('auditlog', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditlog_at'), ['at'], unique=False)
    op.create_table('loginattempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', text(), nullable=False),
    sa.Column('address', text(), nullable=False),
    sa.Column('at', when(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loginattempt', schema=None) as batch_op:
        batch_op.create_index('ix_loginattempt_address_at', ['address', 'at'], unique=False)
        batch_op.create_index('ix_loginattempt_name_at', ['name', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('loginattempt', schema=None) as batch_op:
        batch_op.drop_index('ix_loginattempt_name_at')
        batch_op.drop_index('ix_loginattempt_address_at')
    op.drop_table('loginattempt')
    with op.batch_alter_table('auditlog', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditlog_at'))
    op.drop_table('auditlog')
    with op.batch_alter_table('websession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_websession_user_id'))
    op.drop_table('websession')
    with op.batch_alter_table('userscope', schema=None) as batch_op:
        batch_op.drop_index('ix_userscope_user')
    op.drop_table('userscope')
    op.drop_table('webuser')
