"""Query-string filters of the portal's pages, checked before any query runs: a value a person
(or a hostile client) made up is named back in both languages with a 400, never a 5xx."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ecozone.portal.rendering import Page

MIN_YEAR, MAX_YEAR = 1949, 2100


@dataclass(frozen=True)
class Choice:
    """How one parameter is read: ``parse`` returns the value or raises ``ValueError`` with
    (Chinese, English) messages."""

    parse: Callable[[str], Any]

    @staticmethod
    def text(max_length: int) -> "Choice":
        def parse(raw: str) -> str:
            value = raw.strip()
            if len(value) > max_length or "\x00" in value:
                raise ValueError((f"不能超过 {max_length} 个字符", f"at most {max_length} characters"))
            return value
        return Choice(parse)

    @staticmethod
    def one_of(options: Iterable[str]) -> "Choice":
        allowed = tuple(options)

        def parse(raw: str) -> str:
            if raw not in allowed:
                raise ValueError(("不是可选的值", "is not one of the choices"))
            return raw
        return Choice(parse)

    @staticmethod
    def year() -> "Choice":
        def parse(raw: str) -> int:
            if not (raw.isascii() and raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR):
                raise ValueError((f"应为 {MIN_YEAR} 至 {MAX_YEAR} 之间的年份",
                                  f"must be a year from {MIN_YEAR} to {MAX_YEAR}"))
            return int(raw)
        return Choice(parse)


class FilterForm:
    def __init__(self, page: Page, fields: dict[str, Choice]):
        self.page = page
        self.raw: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        for name, choice in fields.items():
            raw = page.request.query_params.get(name, "")
            self.raw[name] = raw[:200]
            if raw.strip() == "":
                continue
            try:
                self.values[name] = choice.parse(raw)
            except ValueError as exc:
                zh, en = exc.args[0]
                self.errors[name] = zh if page.language == "zh" else en

    def get(self, name: str) -> str:
        """The value as typed, for the form to show it back."""
        return self.raw.get(name, "")

    def link(self, **changes: Any) -> str:
        """This page's URL with the current filters and ``changes`` (``None`` removes one)."""
        params = {k: v for k, v in self.raw.items() if v and k not in self.errors}
        params.update(changes)
        if self.page.zone:
            params.pop("zone", None)
        return self.page.url(self.page.request.url.path.removeprefix(f"/{self.page.zone}")
                             if self.page.zone else self.page.request.url.path, **params)
