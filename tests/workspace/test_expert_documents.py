"""The expert area's documents: each one says in a first-line comment what it is for, is valid
against the API's schema, and each mutation selects what ``framework.refusals`` reads
(``__typename``, the Failure's code and both messages, ValidationFailed's field errors)."""

from __future__ import annotations

import pytest
from ecozone.graphql.schema import build_schema
from ecozone.workspace.page import DOCUMENTS
from graphql import OperationType, parse, validate

EXPERT_DOCUMENTS = sorted(name for name in DOCUMENTS if name.startswith("expert_"))


@pytest.fixture(scope="module")
def schema():
    return build_schema()._schema


def test_the_expert_area_has_its_documents():
    assert {"expert_cast_vote", "expert_declare_conflict", "expert_withdraw_conflict", "expert_update_comment",
            "expert_withdraw_comment", "expert_mark_read", "expert_inbox", "expert_my_certificates"} \
        <= set(EXPERT_DOCUMENTS)


@pytest.mark.parametrize("name", EXPERT_DOCUMENTS)
def test_each_document_is_explained_and_valid(schema, name):
    text = DOCUMENTS[name]
    assert text.startswith("# ") and len(text.splitlines()[0]) > 20
    document = parse(text)
    assert validate(schema, document) == []
    operation = document.definitions[0]
    if operation.operation == OperationType.MUTATION:
        for needed in ("__typename", "... on Failure { code message messageZh }",
                       "... on ValidationFailed { code message messageZh fieldErrors { field code message messageZh } }"):
            assert needed in text, (name, needed)
