"""Pure funds rules, table-driven: fen arithmetic at its bounds, income sources, 第十四条."""

from __future__ import annotations

import pytest
from ecozone.funds import rules
from ecozone.governance.rules import CharterRefusal


@pytest.mark.parametrize(("text", "fen"), [
    ("0.01", 1), ("1", 100), ("1.5", 150), ("1.05", 105), ("1234.56", 123456),
    ("21474836.47", 2**31 - 1),            # GraphQL Int's last value, in fen
    ("21474836.48", 2**31),                # one fen past it: exact here
    ("92233720368.54", 9223372036854),
    ("999999999999.99", rules.MAX_ENTRY_FEN),  # the largest entry
    ("0.10", 10), ("10.00", 1000),
])
def test_parse_amount_exact(text, fen):
    assert rules.parse_amount(text) == (fen, [])


@pytest.mark.parametrize(("value", "code"), [
    ("0", "zero"), ("0.00", "zero"), ("-1", "negative"), ("-0.01", "negative"),
    ("1.001", "precision"), ("0.005", "precision"),
    ("1000000000000", "format"),           # past the largest entry
    ("1e3", "format"), ("+1", "format"), (" 1", "format"), ("1 ", "format"), ("", "format"),
    ("01", "format"), ("1.", "format"), (".5", "format"), ("1,000", "format"), ("１２", "format"),
    ("NaN", "format"), ("Infinity", "format"),
    (12.5, "format"), (1250, "format"), (True, "format"), (None, "format"),  # numbers are never money
])
def test_parse_amount_refused(value, code):
    fen, errors = rules.parse_amount(value)
    assert fen is None and [e.code for e in errors] == [code]
    assert errors[0].message_zh and errors[0].message_en


@pytest.mark.parametrize(("fen", "text"), [
    (0, "0.00"), (1, "0.01"), (10, "0.10"), (100, "1.00"), (123456, "1234.56"), (2**31, "21474836.48"),
    (2**63 - 1, "92233720368547758.07"), (-5, "-0.05"), (-123456, "-1234.56"),
])
def test_yuan_text(fen, text):
    assert rules.yuan_text(fen) == text


def test_round_trip_every_cent_of_a_yuan():
    for fen in range(1, 101):
        assert rules.parse_amount(rules.yuan_text(fen)) == (fen, [])


def test_sum_fen_refuses_floats():
    assert rules.sum_fen([2**31, 2**31, 1]) == 2**32 + 1
    assert rules.sum_fen([]) == 0
    with pytest.raises(TypeError):
        rules.sum_fen([1, 0.1])
    with pytest.raises(TypeError):
        rules.sum_fen([True])


@pytest.mark.parametrize(("part", "whole", "per_mille"), [
    (0, 100, 0), (1, 1000, 1), (999, 1000, 999), (1000, 1000, 1000), (1001, 1000, 1001),
    (1, 3, 333), (2, 3, 666), (5, 0, None), (0, 0, None), (10**14, 10**14 - 1, 1000),
])
def test_per_mille_rounds_down_in_integers(part, whole, per_mille):
    assert rules.per_mille(part, whole) == per_mille


S = rules.Spending


@pytest.mark.parametrize("spending", [
    S("payment_for_work", "innovation", payee_is_member_unit=False, plan_item_given=False),
    S("operating", "coordination", payee_is_member_unit=False, plan_item_given=False),
    S("payment_for_work", "talent", payee_is_member_unit=False, plan_item_given=True),
    # a member unit paid for a task of the plan: consideration, not a distribution
    S("payment_for_work", "group_standards", payee_is_member_unit=True, plan_item_given=True),
])
def test_spending_allowed(spending):
    assert rules.check_spending(spending) == []


@pytest.mark.parametrize("spending", [
    S("distribution", "innovation", payee_is_member_unit=False, plan_item_given=False),
    S("distribution", "innovation", payee_is_member_unit=True, plan_item_given=True),
    S("distribution", None, payee_is_member_unit=False, plan_item_given=False),
    S("payment_for_work", "innovation", payee_is_member_unit=True, plan_item_given=False),
    S("operating", "coordination", payee_is_member_unit=True, plan_item_given=True),
    S("operating", "coordination", payee_is_member_unit=True, plan_item_given=False),
])
def test_article_14_refusals(spending):
    with pytest.raises(CharterRefusal) as refused:
        rules.check_spending(spending)
    assert "第十四条" in refused.value.article_zh and "Article 14" in refused.value.article_en
    assert "第十四条" in refused.value.message_zh


@pytest.mark.parametrize(("spending", "codes"), [
    (S("payment_for_work", None, payee_is_member_unit=False, plan_item_given=False), [("businessArea", "required")]),
    (S("payment_for_work", "casino", payee_is_member_unit=False, plan_item_given=False), [("businessArea", "choice")]),
    (S("gift", "talent", payee_is_member_unit=False, plan_item_given=False), [("nature", "choice")]),
])
def test_spending_field_errors(spending, codes):
    assert [(e.field, e.code) for e in rules.check_spending(spending)] == codes


@pytest.mark.parametrize(("source", "member", "payer", "codes"), [
    ("host_unit", False, None, []),
    ("government_grant", False, "省市场监管局", []),
    ("member_unit", True, None, []),
    ("member_unit", False, "某单位", [("payerMemberUnitId", "required")]),
    ("host_unit", True, None, [("payerMemberUnitId", "source")]),
    ("other_lawful", False, "捐赠方", []),
    ("other_lawful", False, "  ", [("payerName", "required")]),
    ("other_lawful", False, None, [("payerName", "required")]),
    ("loan", False, None, [("source", "choice")]),
])
def test_income_sources_of_article_13(source, member, payer, codes):
    errors = rules.check_income(source=source, payer_is_member_unit=member, payer_name=payer)
    assert [(e.field, e.code) for e in errors] == codes


def test_the_four_sources_and_eight_areas():
    assert list(rules.INCOME_SOURCES) == ["host_unit", "member_unit", "government_grant", "other_lawful"]
    assert len(rules.BUSINESS_AREAS) == 8
    assert [zh[:3] for zh, _en in rules.BUSINESS_AREAS.values()] == [
        "（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）"]
