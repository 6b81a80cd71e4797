"""Request errors in Chinese are as precise as graphql-core's English (web/messages_zh.py).

Every validation rule of ``specified_rules`` is run alone on a document that breaks it; each
message it reports must have a Chinese translation (no fallback to the English). Through HTTP:
parse, validation and coercion errors carry ``extensions.code`` and a Chinese message naming the
same field, type, variable, value and suggestion; the README's placeholder ID; a DateTime input
without an offset; the subscriptions' document check.
"""

from __future__ import annotations

import re

import graphql
import pytest
from graphql import parse, specified_rules, validate
from graphql.validation import NoSchemaIntrospectionCustomRule

from ecozone.graphql.schema import build_schema
from ecozone.settings import QueryLimits, Settings
from ecozone.web.limits import limit_rules
from ecozone.web.messages_zh import to_zh, zh_message
from ecozone.web.subscriptions import _check_document

SCHEMA = build_schema()._schema
# For the rules our schema cannot break (it has every operation type, no @defer/@stream).
MINI = graphql.build_schema("type Query { a: Int list: [Int] } type Subscription { s: Int }")

# rule name → (schema, a document breaking it)
BREAKING: dict[str, tuple[graphql.GraphQLSchema, str]] = {
    "ExecutableDefinitionsRule": (SCHEMA, "{ __typename } type Foo { a: Int }"),
    "KnownOperationTypesRule": (MINI, "mutation { a }"),
    "UniqueOperationNamesRule": (SCHEMA, "query A { __typename } query A { __typename }"),
    "LoneAnonymousOperationRule": (SCHEMA, "{ __typename } query B { __typename }"),
    "SingleFieldSubscriptionsRule": (SCHEMA, "subscription S { a: __typename b: __typename }"),
    "KnownTypeNamesRule": (SCHEMA, "query($a: Zonee) { __typename }"),
    "FragmentsOnCompositeTypesRule": (SCHEMA, "{ ... on String { __typename } }"),
    "VariablesAreInputTypesRule": (SCHEMA, "query($a: Zone) { __typename }"),
    "ScalarLeafsRule": (SCHEMA, "{ zones }"),
    "FieldsOnCorrectTypeRule": (SCHEMA, "{ zonez { totalCount } }"),
    "UniqueFragmentNamesRule": (SCHEMA, "{ ...F } fragment F on Query { __typename } "
                                        "fragment F on Query { __typename }"),
    "KnownFragmentNamesRule": (SCHEMA, "{ ...G }"),
    "NoUnusedFragmentsRule": (SCHEMA, "{ __typename } fragment F on Query { __typename }"),
    "PossibleFragmentSpreadsRule": (SCHEMA, "{ zones { ... on Expert { id } } }"),
    "NoFragmentCyclesRule": (SCHEMA, "{ ...F } fragment F on Query { ...G } fragment G on Query { ...F }"),
    "UniqueVariableNamesRule": (SCHEMA, "query($a: Int, $a: Int) { __typename }"),
    "NoUndefinedVariablesRule": (SCHEMA, "query Q { zones(first: $n) { totalCount } }"),
    "NoUnusedVariablesRule": (SCHEMA, "query Q($n: Int) { __typename }"),
    "KnownDirectivesRule": (SCHEMA, "{ __typename @skipp(if: true) }"),
    "UniqueDirectivesPerLocationRule": (SCHEMA, "{ __typename @skip(if: true) @skip(if: true) }"),
    "DeferStreamDirectiveOnRootField": (MINI, "subscription { ... @defer { s } }"),
    "DeferStreamDirectiveOnValidOperationsRule": (MINI, "subscription { s ... @defer { s } }"),
    "DeferStreamDirectiveLabel": (MINI, '{ ... @defer(label: "x") { a } ... @defer(label: "x") { a } }'),
    "StreamDirectiveOnListField": (MINI, "{ a @stream(initialCount: 1) }"),
    "KnownArgumentNamesRule": (SCHEMA, "{ zones(frist: 3) { totalCount } }"),
    "UniqueArgumentNamesRule": (SCHEMA, "{ zones(first: 3, first: 4) { totalCount } }"),
    "ValuesOfCorrectTypeRule": (SCHEMA, '{ zones(first: "3") { totalCount } '
                                        'experts(filter: {stat: PENDING}) { __typename } '
                                        'e2: experts(filter: {state: PENDIN}) { __typename } }'),
    "ProvidedRequiredArgumentsRule": (SCHEMA, "{ node { id } }"),
    "VariablesInAllowedPositionRule": (SCHEMA, "query($id: ID) { node(id: $id) { id } }"),
    "OverlappingFieldsCanBeMergedRule": (SCHEMA, "{ a: zones { totalCount } a: __typename "
                                                 "b: zones(first: 1) { totalCount } b: zones(first: 2) { totalCount } }"),
    "UniqueInputFieldNamesRule": (SCHEMA, "{ experts(filter: {state: PENDING, state: PENDING}) { __typename } }"),
    "MaxIntrospectionDepthRule": (SCHEMA, "{ __schema { types { fields { type { fields { type { fields "
                                          "{ type { fields { name } } } } } } } } } }"),
}


def test_every_specified_rule_has_a_breaking_document():
    assert {rule.__name__ for rule in specified_rules} <= set(BREAKING)


@pytest.mark.parametrize("rule", specified_rules, ids=lambda rule: rule.__name__)
def test_every_message_of_every_validation_rule_is_translated(rule):
    schema, document = BREAKING[rule.__name__]
    errors = validate(schema, parse(document), [rule])
    assert errors, f"{rule.__name__} found nothing wrong in {document}"
    for error in errors:
        zh = to_zh(error.message)
        assert zh, f"no Chinese for {error.message!r}"
        # the names in quotes (fields, types, variables, values) are named in Chinese too
        for quoted in _quoted(error.message):
            assert quoted in zh, (error.message, zh)


def _quoted(message: str) -> list[str]:
    return re.findall(r"'[^']+'", message)


@pytest.mark.parametrize(("message", "zh"), [
    ("Cannot query field 'slugg' on type 'Zone'. Did you mean 'slug'?",
     "类型 'Zone' 上没有字段 'slugg'。你是不是要找 'slug'？"),
    ("Unknown type 'Zonee'. Did you mean 'Zone', 'Node', or 'Role'?",
     "未知类型 'Zonee'。你是不是要找 'Zone'、'Node' 或 'Role'？"),
    ("Variable '$n' has invalid value: Int cannot represent non-integer value: '3'",
     "变量 '$n' 的值无效：Int 不能表示非整数值：'3'"),
    ("Variable '$f' has invalid value at [0]: Expected value of non-null type 'ID!' not to be None.",
     "变量 '$f' 在 [0] 处的值无效：非空类型 'ID!' 的值不能为 null"),
    ("Variable '$s' has invalid value: Value 'PENDIN' does not exist in 'ExpertState' enum. "
     "Did you mean the enum value 'PENDING'?",
     "变量 '$s' 的值无效：枚举 'ExpertState' 中没有值 'PENDIN'。你是不是要找枚举值 'PENDING'？"),
    ("Syntax Error: Expected Name, found <EOF>.", "语法错误：此处应为 名称，实际为 文档结尾"),
    ("Syntax Error: Unterminated string.", "语法错误：字符串没有结束引号"),
    ("Syntax Error: Unexpected character: U+00A0.", "语法错误：意外的字符：U+00A0"),
    ("Syntax Error: Invalid number, expected digit but got: 'x'.", "语法错误：数字无效：此处应为数字，实际为 'x'"),
    ("GraphQL introspection has been disabled, but the requested query contained the field '__schema'.",
     "本服务已关闭内省（introspection），但查询中含有字段 '__schema'"),
    ("Expected value of type 'ExpertFilterInput' not to include unknown field 'stat'. "
     "Did you mean 'state'? Found: { stat: PENDING }.",
     "类型 'ExpertFilterInput' 中没有字段 'stat'，收到的值：{ stat: PENDING }。你是不是要找 'state'？"),
])
def test_common_messages(message, zh):
    assert to_zh(message) == zh


def test_an_unknown_message_falls_back_to_a_prefix_and_the_english():
    error = graphql.GraphQLError("Something graphql-core says one day.")
    assert to_zh(error.message) is None
    assert zh_message(error, "查询未通过校验") == "查询未通过校验：Something graphql-core says one day."


def test_the_introspection_switch_is_translated():
    errors = validate(SCHEMA, parse("{ __schema { queryType { name } } }"), [NoSchemaIntrospectionCustomRule])
    assert errors and all(to_zh(error.message) for error in errors)


# --- through HTTP

async def _error(api, query, variables=None, **kwargs):
    response = await api.post(query, variables, **kwargs)
    body = response.json()
    assert response.status_code == 400 and "data" not in body, body
    [error] = body["errors"]
    return error


async def test_a_misspelt_field_names_it_and_the_suggestion_in_chinese(api):
    error = await _error(api, "{ zones { edges { node { slugg } } } }")
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error["message"] == "Cannot query field 'slugg' on type 'Zone'. Did you mean 'slug'?"
    assert error["extensions"]["messageZh"] == "类型 'Zone' 上没有字段 'slugg'。你是不是要找 'slug'？"


async def test_a_wrong_variable_names_the_variable_and_the_value_in_chinese(api):
    error = await _error(api, "query($n: Int) { zones(first: $n) { totalCount } }", {"n": "three"})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["messageZh"] == "变量 '$n' 的值无效：Int 不能表示非整数值：'three'"


async def test_a_syntax_error_in_chinese(api):
    error = await _error(api, "{ zones { ")
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert error["extensions"]["messageZh"] == "语法错误：此处应为 名称，实际为 文档结尾"


@pytest.mark.parametrize("placeholder", ["<an id from above>", "<id of a pending expert>"])
async def test_the_readme_placeholder_id_is_a_coded_bilingual_error(api, placeholder):
    mutation = ("mutation($id: ID!) { verifyExpert(input: {id: $id}) { __typename ... on Expert { state } "
                "... on Failure { message messageZh } } }")
    await api.add_user("sec", "jiangxi", "secretary")
    response = await api.post(mutation, {"id": placeholder}, user="sec", zone="jiangxi")
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    assert body["data"]["verifyExpert"] == {"__typename": "NotFound", "message": "no object with this ID",
                                            "messageZh": "没有此 ID 的对象"}


OPEN_CALL = ('mutation($d: DateTime!) { openChiefExpertCall(input: {titleZh: "征集", titleEn: "Call", '
             'field: "tea", deadline: $d}) { __typename } }')


@pytest.mark.parametrize("value", ["2026-12-02T12:00:00", "2026-12-02"])
async def test_a_datetime_variable_without_offset_is_refused_in_both_languages(api, value):
    error = await _error(api, OPEN_CALL, {"d": value})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["reason"] == "DATETIME_WITHOUT_OFFSET"
    assert "has no UTC offset" in error["message"] and value in error["message"]
    zh = error["extensions"]["messageZh"]
    assert zh.startswith("变量 '$d' 的值无效：") and "缺少时区偏移" in zh and f"{value}+08:00" in zh


async def test_a_datetime_literal_without_offset_is_refused_in_both_languages(api):
    error = await _error(api, OPEN_CALL.replace("mutation($d: DateTime!)", "mutation")
                         .replace("$d", '"2026-12-02T12:00:00"'))
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error["extensions"]["reason"] == "DATETIME_WITHOUT_OFFSET"
    assert "缺少时区偏移" in error["extensions"]["messageZh"]


async def test_a_datetime_that_is_not_one_is_refused_in_both_languages(api):
    error = await _error(api, OPEN_CALL, {"d": "next tuesday"})
    assert error["extensions"]["reason"] == "DATETIME_INVALID"
    assert "不是 ISO 8601 日期时间" in error["extensions"]["messageZh"]


def test_a_datetime_with_an_offset_is_accepted_and_converted_to_utc():
    from ecozone.graphql.scalars import parse_value, serialize
    parsed = parse_value("2026-12-02T12:00:00+08:00")
    assert serialize(parsed) == "2026-12-02T04:00:00+00:00"
    assert serialize(parse_value("2026-12-02T04:00:00Z")) == "2026-12-02T04:00:00+00:00"


def test_subscription_documents_get_the_same_chinese():
    settings = Settings(database_url="sqlite+aiosqlite://", migration_database_url="sqlite+aiosqlite://",
                        secret="x", env="test", limits=QueryLimits())
    [error] = _check_document({"query": "subscription { notificationz }"}, settings, SCHEMA)
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "notificationz" in error["extensions"]["messageZh"]
    assert error["extensions"]["messageZh"].startswith("类型 'Subscription' 上没有字段 'notificationz'")


def test_limit_errors_have_their_own_chinese():
    rules = limit_rules(QueryLimits(max_aliases=1))
    [error] = validate(SCHEMA, parse("{ a: __typename b: __typename }"), rules)
    assert error.extensions["code"] == "TOO_MANY_ALIASES" and "2" in error.extensions["messageZh"]
