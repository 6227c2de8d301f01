"""Idempotency-Keys held from the first request's arrival until its job is made.

Builds between aa8a8da and migrations made this table without recording a revision: it is kept
as it is when found.

Revision ID: 0002_idempotency_keys
Revises: 0001_aa8a8da
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_idempotency_keys"
down_revision = "0001_aa8a8da"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("idempotency_keys"):
        return
    op.create_table(
        "idempotency_keys",
        sa.Column("agency", sa.String(200), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("job_id", sa.String(36), nullable=False),
        sa.Column("files_sha256", sa.String(64)),
        sa.Column("held", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
