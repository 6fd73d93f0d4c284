"""site network probes: HTTPS and IPv6 as the auditing host saw each site after its crawl (GUIDE-14, GUIDE-10)

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table('sitenetwork',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('site', text(), nullable=False),
    sa.Column('probed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('https_url', text(), nullable=True),
    sa.Column('tls', text(), nullable=True),
    sa.Column('tls_reason', text(), nullable=True),
    sa.Column('tls_error', text(), nullable=True),
    sa.Column('cert_not_after', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('cert_subject', text(), nullable=True),
    sa.Column('cert_issuer', text(), nullable=True),
    sa.Column('http_url', text(), nullable=True),
    sa.Column('http_redirect', text(), nullable=True),
    sa.Column('http_error', text(), nullable=True),
    sa.Column('hsts', text(), nullable=True),
    sa.Column('host', text(), nullable=True),
    sa.Column('aaaa', sa.JSON(), nullable=True),
    sa.Column('dns', text(), nullable=True),
    sa.Column('dns_error', text(), nullable=True),
    sa.Column('nameserver', text(), nullable=True),
    sa.Column('ipv6_route', sa.Boolean(), nullable=True),
    sa.Column('ipv6_source', text(), nullable=True),
    sa.Column('ipv6_home', sa.JSON(), nullable=True),
    sa.Column('ipv6_links', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['run.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sitenetwork', schema=None) as batch_op:
        batch_op.create_index('ix_sitenetwork_run_site', ['run_id', 'site'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sitenetwork', schema=None) as batch_op:
        batch_op.drop_index('ix_sitenetwork_run_site')
    op.drop_table('sitenetwork')
