"""Alembic's entry point for the job database. `JobStore` runs it on the connection it hands over
(`config.attributes["connection"]`, inside its own transaction and lock); `alembic` in the checkout
(`[tool.alembic]` in pyproject.toml: `alembic revision --autogenerate -m ...`) on the settings' database."""

from alembic import context
from sqlalchemy import create_engine

from compiler_service.store import Base


def run(connection) -> None:
    # batch mode: SQLite alters a table by copying it, which batch operations write for us
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if (given := context.config.attributes.get("connection")) is not None:
    run(given)
else:
    from compiler_service.settings import Settings

    with create_engine(Settings().database()).connect() as own:
        run(own)
