"""The job database as the service made it before migrations (commit aa8a8da): API keys and jobs.

A database made then has these tables and no alembic_version: `JobStore` stamps it with this
revision and upgrades it from here.

Revision ID: 0001_aa8a8da
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_aa8a8da"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("agency", sa.String(200), nullable=False, index=True),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("agency", sa.String(200), nullable=False, index=True),
        sa.Column("idempotency_key", sa.String(200)),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("progress", sa.JSON, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("owner", sa.String(100)),
        sa.Column("lease_until", sa.DateTime(timezone=True), index=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("agency", "idempotency_key"),
    )


def downgrade() -> None:
    op.drop_table("jobs")
    op.drop_table("api_keys")
