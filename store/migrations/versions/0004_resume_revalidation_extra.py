"""runs remember their process and crawl options (resume); pages keep HTTP validators (revalidation) and
structured facts beyond the fixed columns (extra)

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('pid', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('crawl_options', sa.JSON(), nullable=True))
    with op.batch_alter_table('page', schema=None) as batch_op:
        batch_op.add_column(sa.Column('etag', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('last_modified', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('revalidated', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('extra', sa.JSON(), nullable=True))
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.create_index('ix_link_run_site_page', ['run_id', 'site', 'page_url'], unique=False)
    with op.batch_alter_table('sitecolumn', schema=None) as batch_op:
        batch_op.create_index('ix_sitecolumn_run_site_url', ['run_id', 'site', 'url'], unique=False)
    with op.batch_alter_table('columnitem', schema=None) as batch_op:
        batch_op.create_index('ix_columnitem_run_site_column', ['run_id', 'site', 'column_url'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('columnitem', schema=None) as batch_op:
        batch_op.drop_index('ix_columnitem_run_site_column')
    with op.batch_alter_table('sitecolumn', schema=None) as batch_op:
        batch_op.drop_index('ix_sitecolumn_run_site_url')
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.drop_index('ix_link_run_site_page')
    with op.batch_alter_table('page', schema=None) as batch_op:
        batch_op.drop_column('extra')
        batch_op.drop_column('revalidated')
        batch_op.drop_column('last_modified')
        batch_op.drop_column('etag')
    with op.batch_alter_table('run', schema=None) as batch_op:
        batch_op.drop_column('crawl_options')
        batch_op.drop_column('pid')
        batch_op.drop_column('host')
