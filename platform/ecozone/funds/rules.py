"""Pure rules of the base's funds (办法 第十三至十五条). No database, no I/O.

Money is an ``int`` of fen (分, 1/100 yuan) everywhere: parsed from a decimal string without
ever passing through a float, summed as integers, written back as a decimal string. An
amount of one entry is at most 999 999 999 999.99 yuan (just under 10^14 fen), so a year's
sums stay far inside a 64-bit integer (the columns are BIGINT) and far beyond GraphQL's
32-bit ``Int`` (2^31 fen is only 21 474 836.48 yuan): the API carries money as the ``Money``
string scalar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecozone.errors import FieldError
from ecozone.governance.rules import CharterRefusal

MAX_ENTRY_FEN = 10**14 - 1  # 999 999 999 999.99 yuan
_AMOUNT = re.compile(r"(0|[1-9][0-9]{0,11})(?:\.([0-9]{1,2}))?")  # ASCII digits only

# 第十三条: the four sources of the base's funds.
INCOME_SOURCES: dict[str, tuple[str, str]] = {
    "host_unit": ("创新基地承担单位投入的经费", "Funds put in by the host unit"),
    "member_unit": ("创新基地理事单位投入的经费", "Funds put in by member units of the council"),
    "government_grant": ("上级部门补助资金", "Grants from higher authorities"),
    "other_lawful": ("其他合法收入", "Other lawful income"),
}

# 第四条: the base's business areas (一)–(八); spending is booked against one of them.
BUSINESS_AREAS: dict[str, tuple[str, str]] = {
    "coordination": ("（一）生态文明标准化建设工作机制", "(1) Coordination of ecological standardisation"),
    "innovation": ("（二）标准化与科技创新、制度创新、产业升级协同发展",
                   "(2) Standards with scientific, institutional and industrial innovation"),
    "group_standards": ("（三）绿色生态团体标准试点", "(3) Green-ecology group standards pilot"),
    "resources": ("（四）标准化资源统筹与共享服务", "(4) Standardisation resources and shared services"),
    "traceability": ("（五）绿色农产品标准化及可追溯体系", "(5) Green farm products: standards and traceability"),
    "promotion": ("（六）宣传和推广", "(6) Publicity and promotion"),
    "talent": ("（七）标准化专业人才队伍", "(7) Standardisation talent"),
    "regional_cooperation": ("（八）国家生态文明试验区区域合作", "(8) Cooperation of the pilot zones"),
}

# What a payment is, as the office classifies it. A distribution (a share of the funds handed
# out: dividend, rebate, division of a surplus, return of a contribution) is never allowed.
SPENDING_NATURES: dict[str, tuple[str, str]] = {
    "payment_for_work": ("对价支付（为创新基地任务提供的货物、服务或项目工作）",
                         "Payment for work (goods, services or project work done for the base)"),
    "operating": ("日常运行支出", "Running costs"),
    "distribution": ("分配（分红、返还、按份额分配等）", "Distribution (dividend, rebate, share-out …)"),
}

ARTICLE_14 = ("《管理办法》第十四条：经费用于本办法规定的业务范围，不得在理事单位中分配",
              ("Measures, Article 14: the funds serve the business scope of the Measures and may not be "
               "distributed among the member units"))


def yuan_text(fen: int) -> str:
    """``123456`` → ``"1234.56"``; negative amounts keep their sign (``"-0.05"``)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def parse_amount(text: object, field: str = "amount") -> tuple[int | None, list[FieldError]]:
    """A positive amount of yuan written as a decimal string (``"1234.5"``, ``"0.01"``,
    ``"21474836.48"``) → its fen, exactly. Refused: numbers (a JSON float may already have lost
    a fen), signs, zero, a third decimal, exponents, spaces, non-ASCII digits, more than
    999 999 999 999.99."""
    def refuse(code: str, en: str, zh: str) -> tuple[None, list[FieldError]]:
        return None, [FieldError(field, code, en, zh)]
    if not isinstance(text, str):
        return refuse("format", "an amount is a string of yuan such as \"1234.56\", never a number",
                      "金额须为以元为单位的字符串，如“1234.56”，不能是数字")
    if text.startswith("-"):
        return refuse("negative", "an amount is positive: corrections are booked as entries of their own",
                      "金额须为正数：更正须另行记账")
    match = _AMOUNT.fullmatch(text)
    if match is None:
        if re.fullmatch(r"[0-9]+\.[0-9]{3,}", text):
            return refuse("precision", "an amount has at most two decimals (fen)", "金额最多两位小数（分）")
        return refuse("format", f"{text!r} is not an amount of yuan such as \"1234.56\" "
                      "(at most 999999999999.99)",
                      f"“{text}”不是有效金额，示例：“1234.56”（最多 999999999999.99 元）")
    whole, cents = match.group(1), (match.group(2) or "").ljust(2, "0")
    fen = int(whole) * 100 + int(cents)
    if fen == 0:
        return refuse("zero", "an amount is more than zero", "金额须大于零")
    return fen, []


def sum_fen(amounts) -> int:
    """Integers only: a float in a sum of money is a bug, refused loudly."""
    total = 0
    for amount in amounts:
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise TypeError(f"money is an int of fen, not {amount!r}")
        total += amount
    return total


def per_mille(part: int, whole: int) -> int | None:
    """Execution as a whole number of per mille (‰), rounded down; None without a budget."""
    if whole <= 0:
        return None
    return part * 1000 // whole


@dataclass(frozen=True)
class Spending:
    """What a spending entry says about itself, for :func:`check_spending`."""

    nature: str
    business_area: str | None
    payee_is_member_unit: bool
    plan_item_given: bool


def check_spending(s: Spending) -> list[FieldError]:
    """办法 第十四条 read as three rules, in this order (README "Funds"):

    1. a distribution — a share of the funds handed out, to anyone — is refused outright;
    2. every payment is booked against a business area of 第四条 (the article's "业务范围");
    3. a member unit is paid only for work of the year's work plan (``payment_for_work`` against
       a plan item): paying a member unit otherwise is the funds divided among the members.

    Rules 1 and 3 raise a :class:`CharterRefusal` naming the article; rule 2 and unknown
    values are field errors, returned for the caller to report with the rest.
    """
    if s.nature == "distribution":
        raise CharterRefusal(
            "a distribution of the base's funds is not allowed",
            "创新基地经费不得用于分配", article_zh=ARTICLE_14[0], article_en=ARTICLE_14[1])
    errors: list[FieldError] = []
    if s.nature not in SPENDING_NATURES:
        errors.append(FieldError("nature", "choice", "unknown nature of payment", "未知的支出性质"))
    if s.business_area is None:
        errors.append(FieldError("businessArea", "required",
                                 "every payment is booked against a business area of Article 4",
                                 "每笔支出须对应《管理办法》第四条规定的一项业务范围"))
    elif s.business_area not in BUSINESS_AREAS:
        errors.append(FieldError("businessArea", "choice", "unknown business area", "未知的业务范围"))
    if s.payee_is_member_unit and s.nature in SPENDING_NATURES and (
            s.nature != "payment_for_work" or not s.plan_item_given):
        raise CharterRefusal(
            "a member unit of the council is paid only for work of the work plan: book it as a "
            "payment for work against a plan item, or it is a distribution among the members",
            "向理事单位付款只能是为完成工作计划任务的对价支付：须记为对价支付并对应工作计划事项，"
            "否则即为在理事单位中分配经费",
            article_zh=ARTICLE_14[0], article_en=ARTICLE_14[1])
    return errors


def check_income(*, source: str, payer_is_member_unit: bool, payer_name: str | None) -> list[FieldError]:
    """第十三条: income comes from one of four sources; a member unit's contribution names the unit,
    other lawful income names its payer (so "other" is never a blank)."""
    errors: list[FieldError] = []
    if source not in INCOME_SOURCES:
        return [FieldError("source", "choice", "unknown source of income", "未知的经费来源")]
    if source == "member_unit" and not payer_is_member_unit:
        errors.append(FieldError("payerMemberUnitId", "required",
                                 "funds put in by a member unit name the member unit",
                                 "理事单位投入的经费须注明理事单位"))
    if source != "member_unit" and payer_is_member_unit:
        errors.append(FieldError("payerMemberUnitId", "source",
                                 "a member unit's money is booked under the source member_unit (Article 13(2))",
                                 "理事单位的投入须记入“理事单位投入的经费”（第十三条（二））"))
    if source == "other_lawful" and not (payer_name or "").strip():
        errors.append(FieldError("payerName", "required", "other lawful income names its payer",
                                 "其他合法收入须注明付款方"))
    return errors
