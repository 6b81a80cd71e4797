"""Every refusal of the ``ecozone`` command says it in English and Chinese (convention 12), in the
established form ``English / 中文``: each ``CliError(...)`` and each ``print(..., file=sys.stderr)``
(but indented progress lines) of platform/ecozone/cli*.py, read with ``ast`` (no database, nothing run).

A message is checked as written: its string constants and f-strings' literal text, concatenated
with ``+``. Inside an f-string, ``{x.message_en}`` stands for English and ``{x.message_zh}`` for
Chinese (a ``DomainError``'s, a ``RuleBroken``'s or a ``BackupError``'s two texts); any other
``{...}`` is a value, neither language. A message built elsewhere (``CliError(text)``) cannot be
read here, nor one that only passes another's text on (``f"error: {exc}"``): each is listed in
``BILINGUAL_ELSEWHERE`` with the reason it is bilingual anyway."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import ecozone

CLI_FILES = sorted(Path(ecozone.__file__).parent.glob("cli*.py"))
CJK = re.compile(r"[\u4e00-\u9fff]")
ASCII_LETTER = re.compile(r"[A-Za-z]")

# (file name, the message argument as ast.unparse writes it) -> why it is bilingual anyway.
BILINGUAL_ELSEWHERE: dict[tuple[str, str], str] = {
    # main() prints every CliError as "error: " and its text, which this test checks where it is raised.
    ("cli.py", "f'error: {exc}'"): "exc is a CliError, checked at each construction",
    # _database_hint returns "English / 中文" on each of its paths (test_cli.py runs both).
    ("cli.py", "f'error: {_database_hint(exc)}'"): "_database_hint's two returns are bilingual f-strings",
}


class Opaque(Exception):
    """The message is not a literal: its text is made elsewhere."""


def _text(node: ast.expr) -> str:
    """The message as the operator reads it, each value ``{…}`` and each borrowed text marked."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(part) for part in node.values)
    if isinstance(node, ast.FormattedValue):
        if isinstance(node.value, ast.Attribute) and node.value.attr == "message_en":
            return "English"
        if isinstance(node.value, ast.Attribute) and node.value.attr == "message_zh":
            return "中文"
        return "{…}"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text(node.left) + _text(node.right)
    raise Opaque(ast.unparse(node))


def _is_cli_error(call: ast.Call) -> bool:
    return ((isinstance(call.func, ast.Name) and call.func.id == "CliError")
            or (isinstance(call.func, ast.Attribute) and call.func.attr == "CliError"))


def _is_error_print(call: ast.Call) -> bool:
    """``print(message, file=sys.stderr)``: a refusal that is not a CliError. Progress goes to stderr
    too, indented (``"  …"``, ``"\\r  …"``): an indented line is progress, not a refusal."""
    if not (isinstance(call.func, ast.Name) and call.func.id == "print" and call.args):
        return False
    if not any(k.arg == "file" and ast.unparse(k.value) == "sys.stderr" for k in call.keywords):
        return False
    first = call.args[0]
    if isinstance(first, ast.JoinedStr) and first.values:
        first = first.values[0]
    return not (isinstance(first, ast.Constant) and str(first.value).startswith((" ", "\r")))


def _messages(path: Path):
    """(line, the message node) of each refusal in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Call) and (_is_cli_error(node) or _is_error_print(node)):
            assert node.args, f"{path.name}:{node.lineno}: a refusal without a message"
            yield node.lineno, node.args[0]


def _fault(text: str) -> str | None:
    """What is wrong with ``text`` as an ``English / 中文`` message, or None."""
    if not CJK.search(text):
        return "no Chinese"
    if not ASCII_LETTER.search(text):
        return "no English"
    english, slash, chinese = text.partition(" / ")
    if not slash:
        return "not in the form 'English / 中文'"
    if CJK.search(english) or not ASCII_LETTER.search(english):
        return "the part before ' / ' is not English"
    if not CJK.search(chinese):
        return "the part after ' / ' is not Chinese"
    return None


def test_the_scan_finds_the_cli_and_its_refusals():
    names = {p.name for p in CLI_FILES}
    assert {"cli.py", "cli_documents.py", "cli_trace.py", "cli_rate_limit.py"} <= names
    assert sum(1 for p in CLI_FILES for _ in _messages(p)) >= 20


@pytest.mark.parametrize("path", CLI_FILES, ids=lambda p: p.name)
def test_each_refusal_says_it_in_english_and_chinese(path: Path):
    faults = []
    for line, node in _messages(path):
        try:
            fault = _fault(_text(node))
        except Opaque:
            fault = "not a literal: make it one, or list it in BILINGUAL_ELSEWHERE with the reason"
        if fault and (path.name, ast.unparse(node)) not in BILINGUAL_ELSEWHERE:
            faults.append(f"{path.name}:{line}: {fault}: {ast.unparse(node)}")
    assert not faults, "\n".join(faults)


def test_the_allow_list_names_only_messages_that_need_it():
    """An entry whose message is gone, or now reads as ``English / 中文`` by itself, is dropped."""
    present = {(p.name, ast.unparse(node)): node for p in CLI_FILES for _, node in _messages(p)}
    assert set(BILINGUAL_ELSEWHERE) <= set(present), set(BILINGUAL_ELSEWHERE) - set(present)
    for key in BILINGUAL_ELSEWHERE:
        try:
            assert _fault(_text(present[key])) is not None, f"{key} passes without the allow-list"
        except Opaque:
            pass


@pytest.mark.parametrize(("text", "fault"), [
    ("cannot read {…}: {…} / 无法读取 {…}：{…}", None),
    ("English / 中文 (NOT_FOUND)", None),
    ("the budget must be between 1 and {…}", "no Chinese"),
    ("两次输入不一致 / the two entries differ", "the part before ' / ' is not English"),
    ("missing 缺少", "not in the form 'English / 中文'"),
    ("{…} / {…}", "no Chinese"),
])
def test_the_check_itself(text, fault):
    assert _fault(text) == fault
