"""Chinese request errors as precise as graphql-core's English ones.

graphql-core writes parse, validation and coercion errors in English only. Each of its message
patterns has a Chinese template here that names the same field, type, variable, value and
suggestion (``Did you mean …?``, shown in development only). Quoted names and values are kept
verbatim — they are code. A message that no pattern matches (a new graphql-core release) gets
a Chinese prefix with the English text, so nothing is lost; ``tests/web/test_messages_zh.py``
runs an invalid document for every validation rule of ``specified_rules`` and fails on a
message that falls back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError

Template = str | Callable[[dict[str, str]], str]

_SUGGESTION = re.compile(r"\s*Did you mean (?P<s>.+?)\?$", re.S)
_SUGGESTED_NAMES = re.compile(r"'[^']*'")


def _names_zh(text: str) -> str:
    """``'a', 'b', or 'c'`` → ``'a'、'b' 或 'c'``."""
    names = _SUGGESTED_NAMES.findall(text)
    if not names:
        return text
    if len(names) == 1:
        return names[0]
    return "、".join(names[:-1]) + " 或 " + names[-1]


def suggestion_zh(text: str) -> str:
    """The Chinese of a ``Did you mean …?`` suggestion (without those words)."""
    if text.startswith("to use an inline fragment on "):
        return f"是否要改用 {_names_zh(text[len('to use an inline fragment on '):])} 上的内联片段？"
    if text.startswith("the enum value "):
        return f"你是不是要找枚举值 {_names_zh(text[len('the enum value '):])}？"
    if text.startswith("'") and "{ ... }" in text:
        return f"你是不是要写 {text}？"
    return f"你是不是要找 {_names_zh(text)}？"


def _token_zh(desc: str) -> str:
    """A token as graphql-core's parser describes it."""
    if desc == "<EOF>":
        return "文档结尾"
    if desc.startswith("Name "):
        return "名称 " + desc[5:]
    if desc == "Name":
        return "名称"
    for kind, zh in (("Int ", "整数 "), ("Float ", "浮点数 "), ("String ", "字符串 "),
                     ("BlockString ", "块字符串 ")):
        if desc.startswith(kind):
            return zh + desc[len(kind):]
    return desc


def _reason_zh(reason: str) -> str:
    """Why two fields of the same response name conflict (OverlappingFieldsCanBeMerged)."""
    parts = []
    for part in re.split(r" and (?=subfields ')", reason):
        match = re.fullmatch(r"subfields '(?P<n>[^']+)' conflict because (?P<r>.+)", part, re.S)
        if match:
            parts.append(f"子字段 '{match['n']}' 冲突：{_reason_zh(match['r'])}")
            continue
        match = re.fullmatch(r"'(?P<a>[^']+)' and '(?P<b>[^']+)' are different fields", part)
        if match:
            parts.append(f"'{match['a']}' 与 '{match['b']}' 是不同的字段")
            continue
        match = re.fullmatch(r"they return conflicting types '(?P<a>.+)' and '(?P<b>.+)'", part)
        if match:
            parts.append(f"两者返回的类型 '{match['a']}' 与 '{match['b']}' 不一致")
            continue
        if part == "they have differing arguments":
            parts.append("两者的参数不同")
        elif part == "they have overlapping stream directives":
            parts.append("两者都带有 @stream 指令")
        elif part == "they have differing stream directives":
            parts.append("两者的 @stream 指令不同")
        else:
            parts.append(part)
    return "；".join(parts)


def _unknown_field(m: dict[str, str]) -> str:
    text = f"类型 '{m['t']}' 中没有字段 '{m['f']}'，收到的值：{m['v']}"
    return f"{text}。{suggestion_zh(m['s'])}" if m.get("s") else text


# (English pattern, Chinese template); named groups are filled in as they are, except ``inner``
# (translated again), ``syntax`` (by SYNTAX_PATTERNS), ``tok``/``tok2`` (the parser's token
# descriptions) and ``reason`` (why two fields conflict).
PATTERNS: list[tuple[str, Template]] = [
    (r"Syntax Error: (?P<syntax>.+)", "语法错误：{syntax}"),
    # --- validation (validation/rules/*.py, specified_rules)
    (r"The '?(?P<d>[^']+?)'? definition is not executable\.",
     "定义 '{d}' 不可执行：请求中只能有操作（query/mutation/subscription）和片段"),
    (r"The (?P<o>query|mutation|subscription) operation is not supported by the schema\.",
     "本 schema 不支持 {o} 操作"),
    (r"There can be only one operation named '(?P<n>[^']+)'\.", "名为 '{n}' 的操作只能有一个"),
    (r"This anonymous operation must be the only defined operation\.",
     "匿名操作必须是文档中唯一的操作"),
    (r"Anonymous Subscription must select only one top level field\.", "匿名订阅只能选择一个顶层字段"),
    (r"Subscription '(?P<n>[^']+)' must select only one top level field\.", "订阅 '{n}' 只能选择一个顶层字段"),
    (r"Anonymous Subscription must not select an introspection top level field\.",
     "匿名订阅不能选择内省（introspection）顶层字段"),
    (r"Subscription '(?P<n>[^']+)' must not select an introspection top level field\.",
     "订阅 '{n}' 不能选择内省（introspection）顶层字段"),
    (r"Unknown type '(?P<t>[^']+)'\.", "未知类型 '{t}'"),
    (r"Fragment cannot condition on non composite type '(?P<t>[^']+)'\.",
     "片段不能以非复合类型 '{t}' 为条件"),
    (r"Fragment '(?P<f>[^']+)' cannot condition on non composite type '(?P<t>[^']+)'\.",
     "片段 '{f}' 不能以非复合类型 '{t}' 为条件"),
    (r"Variable '\$(?P<v>[^']+)' cannot be non-input type '(?P<t>[^']+)'\.",
     "变量 '${v}' 的类型不能是非输入类型 '{t}'"),
    (r"Field '(?P<f>[^']+)' must not have a selection since type '(?P<t>[^']+)' has no subfields\.",
     "字段 '{f}' 的类型 '{t}' 没有子字段，不能带选择集"),
    (r"Field '(?P<f>[^']+)' of type '(?P<t>[^']+)' must have a selection of subfields\.",
     "字段 '{f}' 的类型为 '{t}'，必须选择子字段"),
    (r"Field '(?P<f>[^']+)' of type '(?P<t>[^']+)' must have at least one field selected\.",
     "字段 '{f}' 的类型为 '{t}'，至少要选择一个字段"),
    (r"Cannot query field '(?P<f>[^']+)' on type '(?P<t>[^']+)'\.", "类型 '{t}' 上没有字段 '{f}'"),
    (r"There can be only one fragment named '(?P<n>[^']+)'\.", "名为 '{n}' 的片段只能有一个"),
    (r"Unknown fragment '(?P<n>[^']+)'\.", "未知片段 '{n}'"),
    (r"Fragment '(?P<n>[^']+)' is never used\.", "片段 '{n}' 没有被使用"),
    (r"Fragment cannot be spread here as objects of type '(?P<p>[^']+)' can never be of type '(?P<t>[^']+)'\.",
     "此处不能展开片段：类型 '{p}' 的对象永远不会是类型 '{t}'"),
    (r"Fragment '(?P<n>[^']+)' cannot be spread here as objects of type '(?P<p>[^']+)' "
     r"can never be of type '(?P<t>[^']+)'\.",
     "此处不能展开片段 '{n}'：类型 '{p}' 的对象永远不会是类型 '{t}'"),
    (r"Cannot spread fragment '(?P<n>[^']+)' within itself\.", "片段 '{n}' 不能展开自身"),
    (r"Cannot spread fragment '(?P<n>[^']+)' within itself via (?P<via>.+)\.",
     "片段 '{n}' 不能经由 {via} 展开自身"),
    (r"There can be only one variable named '\$(?P<v>[^']+)'\.", "名为 '${v}' 的变量只能有一个"),
    (r"Variable '\$(?P<v>[^']+)' is not defined\.", "变量 '${v}' 未定义"),
    (r"Variable '\$(?P<v>[^']+)' is not defined by operation '(?P<o>[^']+)'\.",
     "变量 '${v}' 未在操作 '{o}' 中定义"),
    (r"Variable '\$(?P<v>[^']+)' is never used\.", "变量 '${v}' 没有被使用"),
    (r"Variable '\$(?P<v>[^']+)' is never used in operation '(?P<o>[^']+)'\.",
     "变量 '${v}' 在操作 '{o}' 中没有被使用"),
    (r"Variable '\$(?P<v>[^']+)' is never used in fragment '(?P<f>[^']+)'\.",
     "变量 '${v}' 在片段 '{f}' 中没有被使用"),
    (r"Unknown directive '@(?P<d>[^']+)'\.", "未知指令 '@{d}'"),
    (r"Directive '@(?P<d>[^']+)' may not be used on (?P<loc>.+)\.", "指令 '@{d}' 不能用在 {loc} 上"),
    (r"The directive '@(?P<d>[^']+)' can only be used once at this location\.",
     "指令 '@{d}' 在此位置只能使用一次"),
    (r"(?P<d>Defer|Stream) directive cannot be used on root (?P<o>\w+) type '(?P<t>[^']+)'\.",
     lambda m: f"@{m['d'].lower()} 指令不能用在根 {m['o']} 类型 '{m['t']}' 上"),
    (r"(?P<d>Defer|Stream) directive not supported on subscription operations\. (?P<rest>.+)",
     lambda m: f"订阅操作不支持 @{m['d'].lower()} 指令：请把它的 if 参数设为 false"),
    (r"(?P<d>Defer|Stream) directive label argument must be a static string\.",
     lambda m: f"@{m['d'].lower()} 指令的 label 参数必须是静态字符串"),
    (r"Defer/Stream directive label argument must be unique\.", "@defer/@stream 指令的 label 参数必须唯一"),
    (r"Stream directive cannot be used on non-list field (?P<f>.*) on type '(?P<t>[^']+)'\.",
     "@stream 指令不能用在类型 '{t}' 的非列表字段 {f} 上"),
    (r"Unknown argument '(?P<a>[^']+)' on field '(?P<f>[^']+)'\.", "字段 '{f}' 没有参数 '{a}'"),
    (r"Unknown argument '(?P<a>[^']+)' on directive '@(?P<d>[^']+)'\.", "指令 '@{d}' 没有参数 '{a}'"),
    (r"Unknown argument '(?P<a>[^']+)' on fragment '(?P<f>[^']+)'\.", "片段 '{f}' 没有参数 '{a}'"),
    (r"There can be only one argument named '(?P<a>[^']+)'\.", "名为 '{a}' 的参数只能有一个"),
    (r"Argument '(?P<a>.+?)' of type '(?P<t>[^']+)' is required, but it was not provided\.",
     "缺少必填参数 '{a}'（类型 '{t}'）"),
    (r"Fragment '(?P<f>[^']+)' argument '(?P<a>[^']+)' of type '(?P<t>[^']+)' is required, "
     r"but it was not provided\.", "片段 '{f}' 缺少必填参数 '{a}'（类型 '{t}'）"),
    (r"Variable '\$(?P<v>[^']+)' of type '(?P<t>[^']+)' used in position expecting type '(?P<e>[^']+)'\.",
     "变量 '${v}' 的类型是 '{t}'，但此处需要类型 '{e}'"),
    (r"Variable '\$(?P<v>[^']+)' is of type '(?P<t>[^']+)' but must be non-nullable to be used "
     r"for OneOf Input Object '(?P<o>[^']+)'\.",
     "变量 '${v}' 的类型是 '{t}'，用于 OneOf 输入对象 '{o}' 时必须为非空类型"),
    (r"Fields '(?P<n>[^']+)' conflict because (?P<reason>.+)\. Use different aliases on the fields "
     r"to fetch both if this was intentional\.",
     "字段 '{n}' 冲突：{reason}。如需同时获取，请为它们使用不同的别名"),
    (r"Spreads '(?P<n>[^']+)' conflict because (?P<a>.+) and (?P<b>.+) have different fragment arguments\.",
     "片段展开 '{n}' 冲突：{a} 与 {b} 的片段参数不同"),
    (r"There can be only one input field named '(?P<f>[^']+)'\.", "名为 '{f}' 的输入字段只能有一个"),
    (r"Maximum introspection depth exceeded", "内省（introspection）查询嵌套过深"),
    (r"GraphQL introspection has been disabled, but the requested query contained the field '(?P<f>[^']+)'\.",
     "本服务已关闭内省（introspection），但查询中含有字段 '{f}'"),
    # --- values: literals (ValuesOfCorrectTypeRule) and variables (execution/values.py)
    (r"Variable '\$(?P<v>[^']+)' has invalid value at (?P<p>.+?): (?P<inner>.+)",
     "变量 '${v}' 在 {p} 处的值无效：{inner}"),
    (r"Variable '\$(?P<v>[^']+)' has invalid value: (?P<inner>.+)", "变量 '${v}' 的值无效：{inner}"),
    (r"Variable '\$(?P<v>[^']+)' has invalid default value(?: at (?P<p>.+?))?: (?P<inner>.+)",
     "变量 '${v}' 的默认值无效：{inner}"),
    (r"Variable '\$(?P<v>[^']+)' expected value of type '(?P<t>[^']+)' which cannot be used as an input type\.",
     "变量 '${v}' 声明的类型 '{t}' 不能用作输入类型"),
    (r"Variable '\$(?P<v>[^']+)' of required type '(?P<t>[^']+)' was not provided\.",
     "缺少必填变量 '${v}'（类型 '{t}'）"),
    (r"Variable '\$(?P<v>[^']+)' of non-null type '(?P<t>[^']+)' must not be null\.",
     "变量 '${v}' 的类型为非空类型 '{t}'，不能为 null"),
    (r"Too many errors processing variables, error limit reached\. Execution aborted\.",
     "变量错误过多，已停止处理"),
    (r"Variable values are nested too deeply\.", "变量值嵌套过深"),
    (r"Expected a value of non-null type '(?P<t>[^']+)' to be provided\.", "必须提供非空类型 '{t}' 的值"),
    (r"Expected value of non-null type '(?P<t>[^']+)' not to be None\.", "非空类型 '{t}' 的值不能为 null"),
    (r"Expected variable '\$(?P<v>[^']+)' provided to non-null type '(?P<t>[^']+)' not to be None\.",
     "传给非空类型 '{t}' 的变量 '${v}' 不能为 null"),
    (r"Expected variable '\$(?P<v>[^']+)' provided to type '(?P<t>[^']+)' to provide a runtime value\.",
     "传给类型 '{t}' 的变量 '${v}' 必须提供值"),
    (r"Expected variable '\$(?P<v>[^']+)' provided to field '(?P<f>[^']+)' for OneOf Input Object "
     r"type '(?P<t>[^']+)' to provide a runtime value\.",
     "传给 OneOf 输入对象类型 '{t}' 字段 '{f}' 的变量 '${v}' 必须提供值"),
    (r"Expected variable '\$(?P<v>[^']+)' provided to field '(?P<f>[^']+)' for OneOf Input Object "
     r"type '(?P<t>[^']+)' not to be None\.",
     "传给 OneOf 输入对象类型 '{t}' 字段 '{f}' 的变量 '${v}' 不能为 null"),
    (r"Within OneOf Input Object type '(?P<t>[^']+)', exactly one field must be specified, "
     r"and the value for that field must be non-null\.",
     "OneOf 输入对象类型 '{t}' 必须恰好指定一个字段，且该字段的值不能为 null"),
    (r"Expected value of type '(?P<t>[^']+)' to be an object, found: (?P<v>.+)\.",
     "类型 '{t}' 的值必须是对象，收到的值：{v}"),
    (r"Expected value of type '(?P<t>[^']+)' to include required field '(?P<f>[^']+)', found: (?P<v>.+)\.",
     "类型 '{t}' 的值缺少必填字段 '{f}'，收到的值：{v}"),
    (r"Expected value of type '(?P<t>[^']+)' not to include unknown field '(?P<f>[^']+)'"
     r"(?:\. Did you mean (?P<s>.+?)\? Found|, found): (?P<v>.+)\.", _unknown_field),
    (r"Expected value of type '(?P<t>[^']+)', but encountered error '(?P<e>.*)'; found: (?P<v>.+)\.",
     "类型 '{t}' 不接受值 {v}：{e}"),
    (r"Expected value of type '(?P<t>[^']+)', found: (?P<v>.+)\.", "类型 '{t}' 不接受值 {v}"),
    (r"Expected value of type '(?P<t>[^']+)', found (?P<v>.+?); (?P<inner>.+)", "类型 '{t}' 不接受值 {v}：{inner}"),
    (r"Expected value of type '(?P<t>[^']+)', found (?P<v>.+)\.", "类型 '{t}' 不接受值 {v}"),
    (r"Field '(?P<f>[^']+)' of required type '(?P<t>[^']+)' was not provided\.",
     "缺少必填字段 '{f}'（类型 '{t}'）"),
    (r"Field '(?P<f>[^']+)' is not defined by type '(?P<t>[^']+)'\.", "类型 '{t}' 中没有字段 '{f}'"),
    (r"Expected type '(?P<t>[^']+)' to be a mapping\.", "类型 '{t}' 的值必须是对象"),
    # --- scalars and enums (type/scalars.py, type/definition.py, Strawberry's scalars)
    (r"Int cannot represent non-integer value: (?P<v>.+)", "Int 不能表示非整数值：{v}"),
    (r"Int cannot represent non 32-bit signed integer value: (?P<v>.+)", "Int 不能表示超出 32 位有符号整数范围的值：{v}"),
    (r"Float cannot represent non numeric value: (?P<v>.+)", "Float 不能表示非数值：{v}"),
    (r"String cannot represent a non string value: (?P<v>.+)", "String 不能表示非字符串值：{v}"),
    (r"String cannot represent value: (?P<v>.+)", "String 不能表示值：{v}"),
    (r"Boolean cannot represent a non boolean value: (?P<v>.+)", "Boolean 不能表示非布尔值：{v}"),
    (r"ID cannot represent a non-string and non-integer value: (?P<v>.+)", "ID 只能是字符串或整数，收到：{v}"),
    (r"ID cannot represent value: (?P<v>.+)", "ID 不能表示值：{v}"),
    (r"Value '(?P<v>.+?)' does not exist in '(?P<e>[^']+)' enum\.", "枚举 '{e}' 中没有值 '{v}'"),
    (r"Enum '(?P<e>[^']+)' cannot represent non-string value: (?P<v>.+)\.", "枚举 '{e}' 不能表示非字符串值：{v}"),
    (r"Enum '(?P<e>[^']+)' cannot represent value: (?P<v>.+)", "枚举 '{e}' 不能表示值：{v}"),
    (r"Value cannot represent a (?P<t>\w+): (?P<v>.+?)\. Expected a string\.", "{t} 不能表示 {v}：应为字符串"),
    (r"Value cannot represent a (?P<t>\w+): (?P<v>\".*?\")\.(?: (?P<detail>.+))?",
     "{t} 不能表示 {v}，格式无效"),
    (r"Value cannot represent a (?P<t>\w+): (?P<v>.+?)\.", "{t} 不能表示 {v}"),
]

# The parser's messages, after "Syntax Error: " (language/lexer.py, language/parser.py).
SYNTAX_PATTERNS: list[tuple[str, Template]] = [
    (r"Expected (?P<tok>.+?), found (?P<tok2>.+)\.", "此处应为 {tok}，实际为 {tok2}"),
    (r"Unexpected '\.\.', did you mean '\.\.\.'\?", "意外的 '..'，你是不是要写 '...'？"),
    (r"Unexpected single quote character \('\), did you mean to use a double quote \(\"\)\?",
     "意外的单引号（'），字符串须用双引号（\"）"),
    (r"Unexpected variable '\$(?P<v>[^']+)' in constant value\.", "常量值中不能使用变量 '${v}'"),
    (r"Unexpected description, (?P<rest>.+)", "此处不能有描述（description）：{rest}"),
    (r"Unexpected character: (?P<c>.+)\.", "意外的字符：{c}"),
    (r"Unexpected (?P<tok>.+)\.", "意外的 {tok}"),
    (r"Unterminated string\.", "字符串没有结束引号"),
    (r"Invalid number, expected digit but got: (?P<c>.+)\.", "数字无效：此处应为数字，实际为 {c}"),
    (r"Invalid number, expected digit before '\.', (?P<rest>.+)", "数字无效：'.' 之前应有数字"),
    (r"Invalid number, unexpected digit after 0: (?P<c>.+)\.", "数字无效：0 之后不能紧跟数字 {c}"),
    (r"Invalid character within String: (?P<c>.+)\.", "字符串中有无效字符：{c}"),
    (r"Invalid character: (?P<c>.+)\.", "无效字符：{c}"),
    (r"Invalid Unicode escape sequence: (?P<s>.+)\.", "无效的 Unicode 转义序列：{s}"),
    (r"Invalid character escape sequence: (?P<s>.+)\.", "无效的转义序列：{s}"),
    (r"Document contains more than (?P<n>\d+) tokens\. Parsing aborted\.",
     "文档超过 {n} 个词法单元，已停止解析"),
    (r"Document is nested too deeply\. Parsing aborted\.", "文档嵌套过深，已停止解析"),
]

_COMPILED = [(re.compile(pattern, re.S), template) for pattern, template in PATTERNS]
_SYNTAX = [(re.compile(pattern, re.S), template) for pattern, template in SYNTAX_PATTERNS]


def to_zh(message: str, *, _table=None) -> str | None:
    """The Chinese of a graphql-core message, or None when no pattern knows it."""
    message = message.strip()
    suggestion = ""
    match = _SUGGESTION.search(message)
    if match and not message.startswith("Expected value of type"):
        suggestion = suggestion_zh(match["s"])
        message = message[:match.start()]
    for pattern, template in _table or _COMPILED:
        found = pattern.fullmatch(message)
        if not found:
            continue
        groups = {k: v for k, v in found.groupdict().items() if v is not None}
        if "syntax" in groups:
            groups["syntax"] = to_zh(groups["syntax"], _table=_SYNTAX) or groups["syntax"]
        if "inner" in groups:
            groups["inner"] = to_zh(groups["inner"]) or groups["inner"]
        for key in ("tok", "tok2"):
            if key in groups:
                groups[key] = _token_zh(groups[key])
        if "reason" in groups:
            groups["reason"] = _reason_zh(groups["reason"])
        text = template(groups) if callable(template) else template.format_map(_Keep(groups))
        return f"{text}。{suggestion}" if suggestion and not text.endswith(("？", "。")) else \
            f"{text}{suggestion}" if suggestion else text
    return None


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _own(error: BaseException | None) -> BaseException | None:
    """The error of ours, carrying its Chinese, in ``error``'s chain (e.g. a DateTime input
    without an offset, wrapped by graphql-core as a variable's invalid value)."""
    for _ in range(5):
        if error is None:
            return None
        if isinstance(getattr(error, "message_zh", None), str):
            return error
        error = getattr(error, "original_error", None)
    return None


def zh_message(error: GraphQLError, fallback_prefix: str) -> str:
    """The Chinese of a request error: translated; else ``fallback_prefix：<English>``."""
    message = error.message
    own = _own(error)
    if own is not None:
        inner = getattr(own, "message", None)
        if isinstance(inner, str) and message.endswith(inner) and message != inner:
            # "Variable '$d' has invalid value: <ours>": the frame translated, ours inside
            frame = to_zh(message[:-len(inner)] + "X")
            if frame and frame.endswith("X"):
                return frame[:-1] + own.message_zh
        return own.message_zh
    return to_zh(message) or f"{fallback_prefix}：{message}"


def with_zh(formatted: dict[str, Any], error: GraphQLError, fallback_prefix: str) -> dict[str, Any]:
    """``formatted`` (an error as sent) with ``extensions.messageZh`` unless it has one."""
    extensions = formatted.setdefault("extensions", {})
    extensions.setdefault("messageZh", zh_message(error, fallback_prefix))
    return formatted
