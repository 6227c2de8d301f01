"""The job database as the service's tests use it: a SQLite file, or a real PostgreSQL server."""

import pytest

from benchmarks.service import new_database, throwaway_postgres


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server (Debian's postgresql package) on a loopback port, shared by the session."""
    pytest.importorskip("psycopg")
    try:
        with throwaway_postgres() as server:
            yield server
    except FileNotFoundError as absent:
        pytest.skip(str(absent))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A new, empty job database on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'dossier.db'}"
    return new_database(request.getfixturevalue("postgres"))
