"""Keys name a person and can be revoked; agencies take turns at the queue; jobs count the bytes
they keep, so an agency's storage has a quota, and when their uploads were deleted.

Jobs from before count 0 bytes (what they hold on disk was never measured); their uploads count as
still kept, so the service deletes them as it does any ended job's.

Revision ID: 0003_keys_turns_quotas
Revises: 0002_idempotency_keys
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_keys_turns_quotas"
down_revision = "0002_idempotency_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as keys:
        keys.add_column(sa.Column("person", sa.String(200)))
        keys.add_column(sa.Column("revoked", sa.DateTime(timezone=True)))
    with op.batch_alter_table("jobs") as jobs:
        jobs.add_column(sa.Column("upload_bytes", sa.BigInteger, nullable=False, server_default="0"))
        jobs.add_column(sa.Column("result_bytes", sa.BigInteger, nullable=False, server_default="0"))
        jobs.add_column(sa.Column("uploads_deleted", sa.DateTime(timezone=True)))
    op.create_table(
        "agencies",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("served", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("agencies")
    with op.batch_alter_table("jobs") as jobs:
        jobs.drop_column("uploads_deleted")
        jobs.drop_column("result_bytes")
        jobs.drop_column("upload_bytes")
    with op.batch_alter_table("api_keys") as keys:
        keys.drop_column("revoked")
        keys.drop_column("person")
