"""How many times in a row a scheduled report has failed to post.

The scheduler tries a failed run again after a growing delay and gives up on
that run after a few attempts; a run that posts sets the count back to 0.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_subscriptions") as batch_op:
        batch_op.add_column(
            sa.Column(
                "failed_attempts", sa.Integer(), nullable=False, server_default="0"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("report_subscriptions") as batch_op:
        batch_op.drop_column("failed_attempts")
