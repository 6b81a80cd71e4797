"""schema/schema.graphql is the committed contract: it must match the code."""

from ecozone.graphql.schema import build_schema, sdl
from ecozone.settings import PROJECT_ROOT


def test_exported_schema_is_current():
    committed = (PROJECT_ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
    assert committed == sdl(), "the schema changed: run `make schema` and commit schema/schema.graphql"


def test_schema_conventions():
    text = sdl()
    # inputs are named <Verb><Noun>Input, failures are unions with typed errors
    assert "input CreateExpertProfileInput" in text and "union ExpertResult" in text
    # every list of the API is a connection with a bounded page size argument
    # (read from the schema: the SDL prints each argument's description on lines of its own)
    experts = build_schema()._schema.query_type.fields["experts"]
    assert {name: (str(arg.type), arg.default_value) for name, arg in experts.args.items()} == {
        "filter": ("ExpertFilterInput", None), "first": ("Int!", 20), "after": ("String", None)}
    assert str(experts.type) == "ExpertConnectionResult!"
