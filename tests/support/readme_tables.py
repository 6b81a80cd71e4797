"""The README's tables, read by the tests that check each cell against the API."""

from __future__ import annotations

from dataclasses import dataclass

from ecozone.settings import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
YES, NO, OWN = "✓", "✗", "own"


@dataclass(frozen=True)
class Identity:
    """A column of a visibility table: who asks, acting in their home zone."""

    column: str
    user: str | None
    zone: str | None


def readme_table(anchor: str, first_column: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """(columns, {row: {column: cell}}) of the first table after ``anchor`` whose header row
    starts with ``| first_column |``."""
    text = README.read_text(encoding="utf-8")
    assert anchor in text, f"README.md has no {anchor!r}"
    lines = text.split(anchor, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_column} |"))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    header, _, *rows = table
    columns = header[1:]
    return columns, {row[0]: dict(zip(columns, row[1:], strict=True)) for row in rows}


def check_table_shape(columns: list[str], rows: dict[str, dict[str, str]],
                      identities: list[Identity], probes: dict) -> None:
    """The table names every identity (in order) and every probed object, and its cells say
    only ✓, ✗ or own."""
    assert columns == [i.column for i in identities]
    assert set(rows) == set(probes), set(rows) ^ set(probes)
    for row, cells in rows.items():
        assert set(cells.values()) <= {YES, NO, OWN}, (row, cells)
