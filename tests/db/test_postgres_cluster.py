"""The session's throwaway PostgreSQL cluster (tests/support/postgres.py) itself."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import create_engine, text

from tests.support.postgres import APP_LOGIN, APP_PASSWORD, APP_ROLE

pytestmark = pytest.mark.postgresql_only


def _scalar(cluster, query: str, dbname: str = "postgres"):
    engine = create_engine(cluster.url(dbname, driver="psycopg"))
    try:
        with engine.connect() as conn:
            return conn.execute(text(query)).scalar()
    finally:
        engine.dispose()


def test_server_is_postgresql_15(postgres_cluster):
    assert postgres_cluster.host == "127.0.0.1"
    version = _scalar(postgres_cluster, "SELECT version()")
    assert version.startswith("PostgreSQL 15"), version
    assert _scalar(postgres_cluster, "SHOW fsync") == "off"
    assert _scalar(postgres_cluster, "SHOW max_connections") == "200"


def test_app_login_is_a_plain_member_of_the_app_role(postgres_cluster):
    postgres_cluster.ensure_app_login()
    postgres_cluster.ensure_app_login()  # idempotent
    with psycopg.connect(host=postgres_cluster.host, port=postgres_cluster.port,
                         user="postgres", dbname="postgres") as conn:
        row = conn.execute(
            "SELECT rolsuper, rolbypassrls, rolcanlogin, rolcreatedb, rolcreaterole, "
            "pg_has_role(rolname, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            (APP_ROLE, APP_LOGIN)).fetchone()
        owned = conn.execute("SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                             "WHERE r.rolname IN (%s, %s)", (APP_ROLE, APP_LOGIN)).fetchone()[0]
    assert row == (False, False, True, False, False, True)
    assert owned == 0
    # It logs in with its password over TCP, and only with it.
    with psycopg.connect(host=postgres_cluster.host, port=postgres_cluster.port, user=APP_LOGIN,
                         password=APP_PASSWORD, dbname="postgres") as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == APP_LOGIN
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(host=postgres_cluster.host, port=postgres_cluster.port, user=APP_LOGIN,
                        password="wrong", dbname="postgres")


def test_app_url_connects_as_the_app_login(postgres_cluster):
    postgres_cluster.ensure_app_login()
    engine = create_engine(postgres_cluster.app_url("postgres").replace("+asyncpg", "+psycopg"))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar() == APP_LOGIN
    finally:
        engine.dispose()
    assert postgres_cluster.admin_url("x").startswith("postgresql+asyncpg://postgres@127.0.0.1:")


def test_create_database_from_a_template_copies_its_tables(postgres_cluster):
    postgres_cluster.create_database("cluster_tmpl")
    try:
        postgres_cluster.execute("CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)",
                                 dbname="cluster_tmpl")
        # A connection left open on the template does not block the copy.
        with psycopg.connect(host=postgres_cluster.host, port=postgres_cluster.port,
                             user="postgres", dbname="cluster_tmpl"):
            postgres_cluster.create_database("cluster_copy", template="cluster_tmpl")
        try:
            assert _scalar(postgres_cluster, "SELECT sum(x) FROM t", "cluster_copy") == 3
        finally:
            postgres_cluster.drop_database("cluster_copy")
    finally:
        postgres_cluster.drop_database("cluster_tmpl")


def test_drop_database_while_a_connection_is_open(postgres_cluster):
    postgres_cluster.create_database("cluster_busy")
    conn = psycopg.connect(host=postgres_cluster.host, port=postgres_cluster.port,
                           user="postgres", dbname="cluster_busy")
    try:
        postgres_cluster.drop_database("cluster_busy")
    finally:
        conn.close()
    assert _scalar(postgres_cluster,
                   "SELECT count(*) FROM pg_database WHERE datname = 'cluster_busy'") == 0
    postgres_cluster.drop_database("cluster_busy")  # absent: no error
