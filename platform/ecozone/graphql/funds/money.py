"""The ``Money`` scalar and the typed refusal that names an article.

Money is a decimal string of yuan, not a GraphQL ``Int``: an ``Int`` is 32-bit signed, so in
fen it ends at 21 474 836.47 yuan, short of a year's budget; a ``Float`` loses fen. Output is
always two decimals (``"21474836.48"``), computed from the integer of fen. As input the scalar
takes the value as it comes and the service parses it (``funds.rules.parse_amount``), so a
number, a negative amount or a third decimal is answered with a typed ``ValidationFailed``
naming the field, like every other bad input.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, NewType

import strawberry

from ecozone.funds.rules import yuan_text
from ecozone.governance.rules import CharterRefusal
from ecozone.graphql.results import Failure, run


def _serialize(value: Any) -> str:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"Money is an int of fen, not {value!r}")
    return yuan_text(value)


Money = NewType("Money", object)
# The definition, given to the schema through StrawberryConfig.scalar_map (graphql/schema.py).
MONEY = strawberry.scalar(
    name="Money", serialize=_serialize, parse_value=lambda value: value,
    description=("An amount of money in yuan, as a decimal string with two decimals, e.g. `\"21474836.48\"`: exact, "
                 "kept as an integer of fen (分), never a float, and not an Int (GraphQL's Int is 32-bit and ends "
                 "at 21474836.47 yuan). As input, a string of yuan with at most two decimals (`\"1234.5\"`); a "
                 "number, a sign, zero or a third decimal is refused as ValidationFailed. "
                 "金额（元），两位小数的十进制字符串，如 `\"21474836.48\"`：以整数“分”精确保存，从不使用浮点数，"
                 "也不用 Int（GraphQL 的 Int 为 32 位，最大只到 21474836.47 元）。输入为最多两位小数的元金额字符串"
                 "（如 `\"1234.5\"`）；数字、正负号、零或第三位小数将以 ValidationFailed 拒绝。"))


@strawberry.type(description=("Refused by a rule of the Measures or the Charter, named in `articleZh`/`articleEn` (e.g. 办法 "
                              "第十四条: no distribution among member units; a past year's plan is read-only). "
                              "因《管理办法》或《理事会章程》的规定被拒绝，条款见 `articleZh`/`articleEn`"
                              "（如办法第十四条：经费不得在理事单位中分配；往年工作计划只读）。"))
class ArticleRefusal(Failure):
    article_zh: str = strawberry.field(description="The article applied, in Chinese. 所依据的条款（中文）。")
    article_en: str = strawberry.field(description="The article applied, in English. 所依据的条款（英文）。")


async def run_under_articles(info: Any, call: Callable[[], Awaitable[Any]],
                             mapper: Callable[[Any], Any] | None = None) -> Any:
    """``results.run`` (a savepoint, typed failures), with a charter refusal answered as an
    ``ArticleRefusal`` carrying its article as data instead of a plain ``Conflict``."""
    refused: list[CharterRefusal] = []

    async def guarded():
        try:
            return await call()
        except CharterRefusal as exc:
            refused.append(exc)
            raise
    result = await run(info, guarded, mapper)
    if refused:
        exc = refused[0]
        return ArticleRefusal(code=exc.code, message=exc.message_en, message_zh=exc.message_zh,
                              article_zh=exc.article_zh, article_en=exc.article_en)
    return result


SCALAR_MAP = {Money: MONEY}
