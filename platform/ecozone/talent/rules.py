"""Pure rules of training: seats and waiting list, completion, certificate codes, name masking."""

from __future__ import annotations

import secrets

from ecozone.seats import next_promoted, seat_for  # noqa: F401 - shared with events, re-exported
from ecozone.seats import registration_open as enrolment_open  # noqa: F401
from ecozone.workflow import StateMachine

COMPLETION_RULES = ("all", "at_least")
NAME_DISPLAYS = ("full", "masked", "hidden")
# Crockford base32: no I, L, O, U, so a code read aloud or retyped is not misread.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Crockford's check symbols: a value mod 37 (prime), so every single changed character is caught.
CHECK_ALPHABET = CODE_ALPHABET + "*~$=U"
CODE_BODY_LENGTH = 15


def is_complete(rule: str, min_sessions: int | None, total_sessions: int, attended: int) -> bool:
    """Completion of a programme: every session, or at least ``min_sessions`` of them."""
    if total_sessions == 0 or attended <= 0:
        return False
    if rule == "all":
        return attended >= total_sessions
    if rule == "at_least":
        return min_sessions is not None and attended >= min_sessions
    raise ValueError(f"unknown completion rule {rule!r}")


def completion_rule_errors(rule: str, min_sessions: int | None) -> list[tuple[str, str, str]]:
    """(code, message_en, message_zh) for an invalid rule."""
    if rule not in COMPLETION_RULES:
        return [("choice", "the completion rule must be all or at_least", "结业规则必须是 all 或 at_least")]
    if rule == "at_least" and (min_sessions is None or min_sessions < 1):
        return [("range", "at_least needs a minimum of 1 or more sessions", "“至少 N 次”需要 N ≥ 1")]
    return []


def check_character(body: str) -> str:
    """Weighted sum mod 37 (weights 1..n, a prime modulus): catches any single changed character
    and any swap of two neighbours."""
    total = sum((i + 1) * CODE_ALPHABET.index(c) for i, c in enumerate(body))
    return CHECK_ALPHABET[total % len(CHECK_ALPHABET)]


def new_certificate_code() -> str:
    """75 random bits (unguessable) plus a check character, shown as XXXXX-XXXXX-XXXXX-C."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_BODY_LENGTH))
    return format_code(body + check_character(body))


def format_code(raw: str) -> str:
    return "-".join(raw[i:i + 5] for i in range(0, len(raw), 5))


def normalize_code(code: str) -> str | None:
    """The canonical form of a typed code, or None if it is malformed or its check fails."""
    raw = code.strip().upper().replace("-", "").replace(" ", "")
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")
    if (len(raw) != CODE_BODY_LENGTH + 1 or any(c not in CODE_ALPHABET for c in raw[:-1])
            or raw[-1] not in CHECK_ALPHABET):
        return None
    if check_character(raw[:-1]) != raw[-1]:
        return None
    return format_code(raw)


def displayed_name(name: str, display: str) -> str | None:
    """The holder's name as the holder allows: full, masked (张*明 / 张* / J*** S***), or hidden."""
    if display == "hidden":
        return None
    if display == "full":
        return name
    name = name.strip()
    if " " in name:
        return " ".join(part[:1] + "*" * (len(part) - 1) for part in name.split())
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


BASE_KINDS = {  # kind -> (zh, en)
    "academician_workstation": ("院士工作站", "Academician workstation"),
    "doctoral_workstation": ("博士工作站", "Doctoral workstation"),
    "internship_base": ("大学生实习基地", "Student internship base"),
    "training_base": ("标准化培训基地", "Standardization training base"),
}

APPLICATION = StateMachine(
    name_en="chief-expert application", name_zh="首席专家申请",
    transitions={("submitted", "accept"): "accepted", ("submitted", "decline"): "declined"},
    state_names_zh={"submitted": "已提交", "accepted": "已聘任", "declined": "未聘任"},
    action_names_zh={"accept": "聘任", "decline": "不予聘任"})
