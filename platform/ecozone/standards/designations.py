"""Standard designations as people type them: a pure parser, no database.

``DB52/T 1—2026``, ``DB52/T 1-2026``, ``DB52T1``, ``db52/t 1``, ``ＤＢ５２／Ｔ　１－２０２６``,
``T/NTSIBJGE 001``, ``T/NTSIBJGE 001—2026``: full-width characters are folded (NFKC), case is
ignored, spaces may be anywhere or nowhere, and the dash before the year may be any of the
dashes people's keyboards and word processors produce (— – - － ‐ ‑ ‒ ― − ⸺ ﹘ ﹣). The year may
be left out. Anything else (another code family such as GB/T, a bare zone code, a number that is
not one) is not a designation: :func:`parse` answers ``None`` and the search matches nothing
rather than failing. An unknown zone code (``DB99/T 1``) parses; the search finds no zone with
that code and so matches nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ecozone.standards.rules import GROUP_CODE

# Every dash a person may type between number and year (after NFKC, which already folds the
# full-width hyphen-minus － and the small forms to "-").
DASHES = "\u002d\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d\u30fc"
_DASH_RE = re.compile(f"[{re.escape(DASHES)}]+")

# After folding: letters upper-case, spaces removed, every dash "-".
_LOCAL = re.compile(r"^DB(?P<admin>\d{2})/?T(?P<number>\d{1,6})(?:-(?P<year>\d{4}))?$")
_GROUP = re.compile(r"^T/?NTSIBJGE(?P<number>\d{1,6})(?:-(?P<year>\d{4}))?$")


@dataclass(frozen=True)
class Designation:
    """A parsed designation: ``code`` is the zone's standard code (``DB52/T``) or the group code."""

    kind: str  # joint_local | group
    code: str
    number: int
    year: int | None = None


def fold(text: str) -> str:
    """Full-width to ASCII, upper case, whitespace out, any dash to ``-``."""
    folded = unicodedata.normalize("NFKC", text).upper()
    folded = _DASH_RE.sub("-", folded)
    return "".join(folded.split())


def parse(text: str | None) -> Designation | None:
    """The designation ``text`` names, or None when it names none (never an exception)."""
    if not text or len(text) > 60:
        return None
    folded = fold(text)
    if match := _LOCAL.match(folded):
        kind, code = "joint_local", f"DB{match['admin']}/T"
    elif match := _GROUP.match(folded):
        kind, code = "group", GROUP_CODE
    else:
        return None
    number = int(match["number"])
    if number == 0:
        return None
    return Designation(kind=kind, code=code, number=number,
                       year=int(match["year"]) if match["year"] else None)
