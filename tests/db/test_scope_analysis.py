"""The data layer adds only the criteria of the scoped models a statement touches
(db/statement_analysis.py): wherever a scoped table occurs, its criteria land, and anything the
analysis cannot read gets every model's criteria (fail closed: SQLite has no other guard). The
other tables of an UPDATE … FROM or DELETE … USING, which loader criteria miss, get theirs in the
statement's WHERE (db/dml_tables.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import ecozone.web.app  # noqa: F401 - every domain's models, as in production
import pytest
from ecozone.auth.models import User
from ecozone.authz.models import RoleAssignment
from ecozone.consultation.models import Comment, Consultation
from ecozone.db import dml_tables, scoping, statement_analysis
from ecozone.db.base import ZonePrivate
from ecozone.db.engine import new_session
from ecozone.db.scoping import Scope, all_scope_options, options_for_statement, scoped_statement
from ecozone.db.statement_analysis import (
    _build_catalogue,
    criteria_version,
    scoped_catalogue,
    touched_models,
)
from ecozone.standards.models import Ballot, Standard, StandardZone, Vote
from ecozone.tenancy.models import Zone
from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    exists,
    func,
    inspect,
    lambda_stmt,
    lateral,
    literal_column,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import (
    DeclarativeBase,
    aliased,
    column_property,
    load_only,
    mapped_column,
    relationship,
)

SCOPES = [Scope(), Scope(zone_id=1, user_id=2), Scope(zone_id=2, user_id=3, zone_staff=True)]
DIALECTS = [sqlite.dialect(), postgresql.dialect()]


def _cte_join():
    zones_with_roles = select(RoleAssignment.zone_id).cte("zones_with_roles")
    return select(Zone.slug).join(zones_with_roles, zones_with_roles.c.zone_id == Zone.id)


def _union():
    both = union_all(select(RoleAssignment.zone_id), select(Zone.id)).subquery()
    return select(func.count()).select_from(both)


ROLE = aliased(RoleAssignment, name="other_role")

# (name, statement, scoped models whose criteria must be among the options)
CASES = [
    ("entity", lambda: select(RoleAssignment), {RoleAssignment}),
    ("one column", lambda: select(RoleAssignment.role), {RoleAssignment}),
    ("subquery in FROM",
     lambda: select(func.count()).select_from(select(RoleAssignment.id).subquery()), {RoleAssignment}),
    ("IN subquery", lambda: select(Zone.id).where(Zone.id.in_(select(RoleAssignment.zone_id))),
     {RoleAssignment}),
    ("scalar subquery among the columns",
     lambda: select(Zone.slug, select(func.count(RoleAssignment.id))
                    .where(RoleAssignment.zone_id == Zone.id).scalar_subquery()), {RoleAssignment}),
    ("alias", lambda: select(ROLE.role), {RoleAssignment}),
    ("alias only in WHERE", lambda: select(Zone.slug).where(Zone.id == ROLE.zone_id), {RoleAssignment}),
    ("join", lambda: select(Zone.slug).join(RoleAssignment, RoleAssignment.zone_id == Zone.id),
     {RoleAssignment}),
    ("outer join of an alias",
     lambda: select(Zone.slug, ROLE.role).outerjoin(ROLE, ROLE.zone_id == Zone.id), {RoleAssignment}),
    ("EXISTS", lambda: select(Zone.slug).where(exists().where(RoleAssignment.zone_id == Zone.id)),
     {RoleAssignment}),
    ("CTE", _cte_join, {RoleAssignment}),
    ("UNION in a subquery", _union, {RoleAssignment}),
    ("viewer-scoped join and EXISTS",
     lambda: select(Standard.number).join(Ballot, Ballot.standard_id == Standard.id)
     .where(exists().where(Vote.ballot_id == Ballot.id)), {Standard, Ballot, Vote}),
    ("viewer-scoped IN subquery",
     lambda: select(Standard.id).where(Standard.id.in_(select(StandardZone.standard_id))),
     {Standard, StandardZone}),
    ("criteria reading other scoped models", lambda: select(User.id), {User}),
    ("consultation comments", lambda: select(func.count(Comment.id)), {Comment}),
    ("plain table alias", lambda: select(Consultation.__table__.alias("c").c.id), {Consultation}),
    ("update", lambda: update(RoleAssignment).where(RoleAssignment.role == "member")
     .values(role="observer"), {RoleAssignment}),
    ("update reading another scoped model",
     lambda: update(Zone).where(Zone.id.in_(select(RoleAssignment.zone_id))).values(slug="x"),
     {RoleAssignment}),
    ("delete", lambda: delete(RoleAssignment).where(RoleAssignment.role == "member"), {RoleAssignment}),
    ("delete with EXISTS on another scoped model",
     lambda: delete(RoleAssignment).where(exists().where(User.id == RoleAssignment.user_id)),
     {RoleAssignment, User}),
    ("a CTE added but not selected from",
     lambda: select(Zone.id).add_cte(select(RoleAssignment.id).cte("unused")), {RoleAssignment}),
    ("LATERAL", lambda: select(Zone.id).join(
        lateral(select(RoleAssignment.id).where(RoleAssignment.zone_id == Zone.id)).alias("l"), true()),
     {RoleAssignment}),
    ("ORDER BY subquery", lambda: select(Zone.id).order_by(
        select(RoleAssignment.id).where(RoleAssignment.zone_id == Zone.id).limit(1).scalar_subquery()),
     {RoleAssignment}),
    ("entity aliased over a subquery",
     lambda: select(aliased(Standard, select(Standard).where(Standard.id > 1).subquery())), {Standard}),
    ("update … FROM another scoped table",
     lambda: update(Zone).where(Zone.id == RoleAssignment.zone_id).values(slug="z"), {RoleAssignment}),
    ("update … FROM an alias of a scoped table",
     lambda: update(Zone).where(Zone.id == ROLE.zone_id).values(slug="z"), {RoleAssignment}),
    ("update setting a value read from another scoped table",
     lambda: update(Zone).where(Zone.id == 1).values(slug=RoleAssignment.role), {RoleAssignment}),
    ("unscoped tables only", lambda: select(Zone.slug).where(Zone.id > 1), set()),
]


def _sql(statement, options, dialect) -> tuple[str, dict]:
    compiled = statement.options(*options).compile(dialect=dialect)
    return str(compiled), compiled.params


@pytest.mark.parametrize("name,build,expected", CASES, ids=[case[0] for case in CASES])
@pytest.mark.parametrize("scope", SCOPES, ids=["anonymous", "member", "staff"])
def test_the_chosen_criteria_give_the_sql_of_every_criteria(name, build, expected, scope):
    statement = build()
    touched = touched_models(statement, scoped_catalogue())
    assert touched is not None and expected <= touched, (name, touched)
    chosen = options_for_statement(scope, statement, None)
    assert {option.entity.class_ for option in chosen} >= expected
    if not expected:
        assert chosen == ()
    everything = all_scope_options(scope)
    assert len(chosen) < len(everything)
    for dialect in DIALECTS:
        assert _sql(statement, chosen, dialect) == _sql(statement, everything, dialect), name


LANDING = [pytest.param(*case, id=case[0]) for case in CASES if RoleAssignment in case[2]]
# PostgreSQL only: SQLAlchemy compiles no multi-table DELETE for SQLite.
# (name, statement, the criterion of the table beside the target, which must land)
DELETE_USING = [
    ("delete … USING an alias of the same table",
     lambda: delete(RoleAssignment).where(RoleAssignment.user_id == ROLE.user_id, ROLE.role == "x"),
     "other_role.zone_id = %("),
    ("delete … USING a join",
     lambda: delete(Zone).using(RoleAssignment.__table__.join(
         Zone.__table__, RoleAssignment.zone_id == Zone.id)).where(Zone.id == RoleAssignment.zone_id),
     "role_assignments.zone_id = %("),
]


def _landing_sql(scope: Scope, statement, dialect) -> tuple[str, dict]:
    compiled = scoped_statement(scope, statement).compile(dialect=dialect)
    return str(compiled), compiled.params


def _assert_the_zone_criterion_lands(statement, dialects) -> None:
    for dialect in dialects:
        sql, params = _landing_sql(Scope(zone_id=41), statement, dialect)
        assert "role_assignments.zone_id =" in sql or "other_role.zone_id =" in sql, sql
        assert 41 in params.values(), params
        sql, _params = _landing_sql(Scope(), statement, dialect)
        assert "false" in sql.lower() or "0 = 1" in sql or "1 != 1" in sql, sql


@pytest.mark.parametrize("name,build,expected", LANDING)
def test_the_zone_criterion_lands_in_the_sql(name, build, expected):
    """Not only the same SQL as before: the acting zone is in it (a bound 41), and without a
    zone the rows are refused outright. SQLAlchemy gives the other tables of an UPDATE … FROM
    no loader criteria (with every option as well: the parity test above passes); scoping.py
    adds them to the WHERE, so these land too."""
    _assert_the_zone_criterion_lands(build(), DIALECTS)


@pytest.mark.parametrize("name,build,landing", DELETE_USING, ids=[case[0] for case in DELETE_USING])
def test_the_zone_criterion_lands_in_a_delete_using(name, build, landing):
    statement = build()
    sql, params = _landing_sql(Scope(zone_id=41), statement, postgresql.dialect())
    assert " USING " in sql and landing in sql, sql
    assert 41 in params.values(), params
    sql, _params = _landing_sql(Scope(), statement, postgresql.dialect())
    assert "false" in sql.lower(), sql


def _literal_sql(statement, dialect) -> str:
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


@pytest.mark.parametrize("scope", SCOPES, ids=["anonymous", "member", "staff"])
def test_a_table_beside_an_update_gets_the_criterion_a_select_of_it_gets(scope):
    """For every scoped model, plain and aliased: what an UPDATE … FROM adds for it is, word for
    word, the WHERE its loader criteria give ``SELECT its id`` (one definition of each criterion)."""
    for model in scoped_catalogue().models:
        for entity in (model, aliased(model, name="beside")):
            key = getattr(entity, inspect(model).primary_key[0].key)
            for dialect in DIALECTS:
                selected = _literal_sql(scoped_statement(scope, select(key)), dialect)
                criterion = selected.split("\nWHERE ", 1)[1]
                updated = _literal_sql(scoped_statement(
                    scope, update(Zone).where(Zone.id == key).values(slug="z")), dialect)
                assert criterion in updated, (model.__name__, dialect.name, updated)


def _statement_with_loader_option():
    return select(RoleAssignment).options(load_only(RoleAssignment.role))


FALLBACKS = [
    ("a loader option", _statement_with_loader_option),
    ("a loader option in a subquery",
     lambda: select(Zone.slug).where(Zone.id.in_(
         select(RoleAssignment.zone_id).options(load_only(RoleAssignment.role)).scalar_subquery()))),
    ("a lambda statement", lambda: lambda_stmt(lambda: select(RoleAssignment))),
    ("from_statement", lambda: select(RoleAssignment).from_statement(text("SELECT * FROM role_assignments"))),
    ("text", lambda: text("SELECT 1")),
]


@pytest.mark.parametrize("name,build", FALLBACKS, ids=[f[0] for f in FALLBACKS])
def test_what_the_analysis_cannot_read_gets_every_criteria(name, build):
    statement = build()
    assert touched_models(statement, scoped_catalogue()) is None
    assert options_for_statement(Scope(zone_id=1), statement, None) == all_scope_options(Scope(zone_id=1))


def test_a_criterion_without_tables_touches_nothing():
    assert touched_models(literal_column("1") == 1, scoped_catalogue()) == frozenset()


@pytest.mark.parametrize("flag", ["is_relationship_load", "is_column_load"])
def test_a_loader_s_own_statement_gets_every_criteria(flag):
    """Relationship and column loads are statements the mapper shapes (and that inherit the
    parent's options): never narrowed."""
    state = SimpleNamespace(is_relationship_load=flag == "is_relationship_load",
                            is_column_load=flag == "is_column_load")
    scope = Scope(zone_id=1)
    assert options_for_statement(scope, select(Zone.slug), state) == all_scope_options(scope)


class _Other(DeclarativeBase):
    metadata = MetaData()


Table("zones", _Other.metadata, Column("id", Integer, primary_key=True))


class _Secret(ZonePrivate, _Other):
    __tablename__ = "secrets"
    id = mapped_column(Integer, primary_key=True)
    holder_id = mapped_column(ForeignKey("holders.id"))


class _Holder(_Other):
    """Unscoped, yet loading it may load secrets: eagerly, or joined through the relationship."""
    __tablename__ = "holders"
    id = mapped_column(Integer, primary_key=True)
    secrets = relationship(_Secret, lazy="joined")


class _Counter(_Other):
    """Unscoped, with a column computed from a scoped table."""
    __tablename__ = "counters"
    id = mapped_column(Integer, primary_key=True)
    name = mapped_column(String(8))
    secret_count = column_property(select(func.count(_Secret.id)).where(_Secret.holder_id == id)
                                   .scalar_subquery())


def test_a_mapper_that_loads_scoped_rows_brings_their_criteria():
    catalogue = _build_catalogue(_Other.registry.mappers)
    assert not catalogue.opaque
    assert catalogue.reach["holders"] == {_Secret}  # relationship (joined eager load)
    assert catalogue.reach["counters"] == {_Secret}  # column_property over a scoped table
    assert touched_models(select(_Holder.id), catalogue) == {_Secret}
    assert touched_models(select(_Counter.name), catalogue) == {_Secret}
    assert touched_models(select(func.count()).select_from(_Other.metadata.tables["zones"]),
                          catalogue) == frozenset()


def test_changing_the_consultation_subjects_rebuilds_the_criteria(monkeypatch):
    from ecozone.consultation import subjects
    scope = Scope(zone_id=1, user_id=2)
    before_version, before = criteria_version(), options_for_statement(scope, select(Comment.id), None)
    monkeypatch.setitem(subjects._REGISTRY, "extra", subjects.subject_adapter("standard"))
    assert criteria_version() > before_version
    after = options_for_statement(scope, select(Comment.id), None)
    assert after != before
    assert _sql(select(Comment.id), after, DIALECTS[0])[0].count("subject_type") > \
        _sql(select(Comment.id), before, DIALECTS[0])[0].count("subject_type")


def test_the_data_layer_names_no_domain():
    """The core never imports a domain: scoping learns of subject registrations by a hook."""
    for module in (scoping, statement_analysis, dml_tables):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "ecozone.consultation" not in source and "import consultation" not in source


@pytest.fixture
async def two_zones(api):
    await api.add_user("jx-director", "jiangxi", "director", "secretary")
    await api.add_user("gz-director", "guizhou", "director")
    zones = await api.operator(lambda s: s.execute(select(Zone.slug, Zone.id)))
    return dict(zones.all())


async def test_each_shape_sees_the_acting_zone_s_rows_only(app_engine, two_zones, api):
    """Through the database, on both engines (on SQLite the ORM criteria are the only guard)."""
    jx, gz = two_zones["jiangxi"], two_zones["guizhou"]
    async with new_session(app_engine, Scope(zone_id=gz)) as session:
        await session.begin()
        assert await session.scalar(
            select(func.count()).select_from(select(RoleAssignment.id).subquery())) == 1
        assert (await session.scalars(select(ROLE.zone_id))).all() == [gz]
        joined = select(Zone.id).join(RoleAssignment, RoleAssignment.zone_id == Zone.id)
        assert set((await session.scalars(joined)).all()) == {gz}
        with_roles = select(Zone.id).where(exists().where(RoleAssignment.zone_id == Zone.id))
        assert (await session.scalars(with_roles)).all() == [gz]
        counted = select(Zone.id, select(func.count(RoleAssignment.id))
                         .where(RoleAssignment.zone_id == Zone.id).scalar_subquery())
        counts = dict((await session.execute(counted)).all())
        assert counts[jx] == 0 and counts[gz] == 1
        assert (await session.scalars(_cte_join())).all() == ["guizhou"]
        assert await session.scalar(_union()) == 1 + len(two_zones)
        renamed = await session.execute(update(RoleAssignment).values(role="observer"))
        assert renamed.rowcount == 1
        removed = await session.execute(delete(RoleAssignment).where(RoleAssignment.zone_id == jx))
        assert removed.rowcount == 0
        await session.rollback()
    roles = (await api.operator(lambda s: s.execute(
        select(RoleAssignment.zone_id, RoleAssignment.role)))).all()
    assert sorted(roles) == sorted([(jx, "director"), (jx, "secretary"), (gz, "director")])
