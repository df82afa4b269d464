"""messages.list_unsubscribe: the unsubscribe link an email carries as a List-Unsubscribe header

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('list_unsubscribe')
