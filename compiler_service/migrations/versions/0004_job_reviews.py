"""Jobs record the last review saved through the service (when, and by whom), and when they ended.

A review saved changes a done job's `updated`; the retention of an ended job's uploads counts from
`ended` instead, so a review does not keep the scans longer. Jobs that ended before this revision
ended at their `updated`.

Revision ID: 0004_job_reviews
Revises: 0003_keys_turns_quotas
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_job_reviews"
down_revision = "0003_keys_turns_quotas"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as jobs:
        jobs.add_column(sa.Column("ended", sa.DateTime(timezone=True)))
        jobs.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True)))
        jobs.add_column(sa.Column("reviewed_by", sa.String(200)))
    op.execute("UPDATE jobs SET ended = updated WHERE state IN ('done', 'failed')")


def downgrade() -> None:
    with op.batch_alter_table("jobs") as jobs:
        jobs.drop_column("reviewed_by")
        jobs.drop_column("reviewed_at")
        jobs.drop_column("ended")
