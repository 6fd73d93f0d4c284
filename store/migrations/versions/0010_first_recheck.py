"""Ledger items remember how their first recheck after a 「已整改」 ended (the dashboard's 一次整改通过率 without
reading a million events); filled in from the events already recorded

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ledgeritem', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_recheck', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.execute("""
UPDATE ledgeritem SET first_recheck = (
  SELECT CASE e.kind WHEN 'recheck_passed' THEN 'passed' ELSE 'failed' END FROM ledgerevent e
  WHERE e.item_id = ledgeritem.id AND e.kind IN ('recheck_passed', 'recheck_failed')
    AND e.id > (SELECT min(f.id) FROM ledgerevent f WHERE f.item_id = ledgeritem.id AND f.kind = 'feedback')
  ORDER BY e.id LIMIT 1)
WHERE id IN (SELECT item_id FROM ledgerevent WHERE kind = 'feedback')""")


def downgrade() -> None:
    with op.batch_alter_table('ledgeritem', schema=None) as batch_op:
        batch_op.drop_column('first_recheck')
