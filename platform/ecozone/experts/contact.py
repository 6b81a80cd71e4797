"""Contact and identifier checks of expert profiles: ORCID iD, e-mail, phone.

Pure functions; every refusal is a ``FieldError`` in English and Chinese.
"""

from __future__ import annotations

import re
import unicodedata

from ecozone.errors import FieldError

# ---------------------------------------------------------------------------- ORCID

_ORCID_URL = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)
_ORCID_SHAPE = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$", re.ASCII)


def _orcid_check_char(base15: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 15 digits (10 is written X)."""
    total = 0
    for digit in base15:
        total = (total + int(digit)) * 2
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def normalize_orcid(value: str) -> str:
    """Canonical ``0000-0002-1825-0097`` form; raises ValueError when the shape is wrong.

    Accepts the orcid.org URL, the bare 16 characters and a lower-case ``x``.
    The check digit is not verified here (see ``orcid_checksum_ok``).
    """
    # NFKC turns full-width digits typed with a Chinese IME into ASCII ones.
    text = _ORCID_URL.sub("", unicodedata.normalize("NFKC", value).strip()).upper()
    match = _ORCID_SHAPE.match(text)
    # Either all three hyphens or none: "0000-00021825-0097" is a typo, not a form.
    if not match or text.count("-") not in (0, 3):
        raise ValueError(f"not an ORCID iD: {value!r}")
    return "-".join(match.groups())


def orcid_checksum_ok(orcid: str) -> bool:
    """True when ``orcid`` (any accepted form) has a correct check digit."""
    try:
        digits = normalize_orcid(orcid).replace("-", "")
    except ValueError:
        return False
    return _orcid_check_char(digits[:15]) == digits[15]


def validate_orcid(value: str | None) -> list[FieldError]:
    """Optional ORCID iD: codes ``format`` and ``checksum``."""
    if value is None or value == "":
        return []
    try:
        digits = normalize_orcid(value).replace("-", "") if isinstance(value, str) else ""
    except ValueError:
        digits = ""
    if not digits:
        return [FieldError("orcid", "format", "ORCID iD must look like 0000-0002-1825-0097",
                           "ORCID iD 格式应为 0000-0002-1825-0097")]
    expected = _orcid_check_char(digits[:15])
    if expected != digits[15]:
        return [FieldError("orcid", "checksum",
                           f"ORCID iD check digit is wrong: expected {expected}",
                           f"ORCID iD 校验位错误：应为 {expected}")]
    return []


# ---------------------------------------------------------------------------- e-mail

# RFC 5322 "atext" plus dots. The local part stays ASCII: an IDN domain can travel as
# punycode, but a Chinese local part needs SMTPUTF8 on every hop, which we cannot promise.
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")


def _domain_label_ok(label: str) -> bool:
    if not 1 <= len(label) <= 63 or label.startswith("-") or label.endswith("-"):
        return False
    # Unicode letters are allowed so that 例子.中国 passes; digits stay ASCII.
    return all(c == "-" or (c.isascii() and c.isalnum()) or (not c.isascii() and c.isalpha())
               for c in label)


def _email_problem(value: str) -> tuple[str, str, str] | None:
    """(code, en, zh) of the first reason why ``value`` is not a usable address, or None."""
    if len(value) > 254:
        return ("too_long", "e-mail address must be at most 254 characters", "电子邮箱不能超过 254 个字符")
    if any(c in value for c in "＠。．"):  # typed with a Chinese IME in full-width mode
        return ("format", "e-mail address must use the half-width characters @ and .",
                "电子邮箱请使用半角字符 @ 和 .")
    if any(c.isspace() for c in value):
        return ("format", "e-mail address must not contain spaces", "电子邮箱不能包含空格")
    if value.count("@") != 1:
        return ("format", "e-mail address must contain exactly one @", "电子邮箱必须包含且只包含一个 @")
    local, domain = value.split("@")
    if not local:
        return ("format", "e-mail address needs a name before the @", "电子邮箱 @ 前面不能为空")
    if len(local) > 64:
        return ("too_long",
                "the part of the e-mail address before the @ must be at most 64 characters",
                "电子邮箱 @ 前面的部分不能超过 64 个字符")
    if not _LOCAL_PART.match(local) or ".." in local or local[0] == "." or local[-1] == ".":
        return ("format", "the part of the e-mail address before the @ may only use letters A-Z, "
                "digits and . _ + - (no dot at either end, no two dots in a row)",
                "电子邮箱 @ 前面的部分只能使用英文字母、数字和 . _ + - 等符号（不能以点开头或结尾，不能连续两个点）")
    labels = domain.split(".")
    top = labels[-1]  # top-level domains are letters, or punycode such as xn--fiqs8s (中国)
    if len(labels) < 2 or not all(_domain_label_ok(label) for label in labels) or not (
            top.lower().startswith("xn--") or (len(top) >= 2 and top.isalpha())):
        return ("format", "e-mail address needs a domain such as example.cn after the @",
                "电子邮箱 @ 后面应为域名，如 example.cn")
    return None


def validate_email(value: str | None) -> list[FieldError]:
    """Optional e-mail address, a pragmatic check rather than full RFC 5322.

    IDN domains (例子.中国) are accepted, the local part must be ASCII (see ``_LOCAL_PART``).
    """
    if value is None or value == "":
        return []
    if not isinstance(value, str):
        return [FieldError("email", "format", "e-mail address must be text", "电子邮箱必须是文本")]
    problem = _email_problem(value)
    if problem:
        code, en, zh = problem
        return [FieldError("email", code, f"{en} (e.g. name@example.cn)",
                           f"{zh}（例如 name@example.cn）")]
    return []


# ---------------------------------------------------------------------------- phone

_MOBILE = re.compile(r"^(?:\+86|0086)?(1[3-9]\d{9})$", re.ASCII)
_LANDLINE = re.compile(r"^0(\d{2,3})-?(\d{7,8})$", re.ASCII)
_EXTENSION = re.compile(r"^\d{1,6}$", re.ASCII)


def _split_area(digits: str) -> tuple[str, str] | None:
    """Split ``0`` + area + number by the numbering plan: 010 and 02x have two digits."""
    if digits[1] in "01":  # 00 is the international prefix; the only 01x area code is 010
        return ("10", digits[3:]) if digits[1:3] == "10" else None
    size = 2 if digits[1] == "2" else 3
    return digits[1:1 + size], digits[1 + size:]


def _landline(text: str, *, grouped: bool = False) -> str | None:
    """``0791-12345678`` for a landline without extension; ``grouped``: "0791-1234-5678" too."""
    if grouped:
        head, hyphen, rest = text.partition("-")
        text = head + hyphen + rest.replace("-", "")
    match = _LANDLINE.match(text)
    if match is None:
        return None
    split = _split_area("0" + match.group(1) + match.group(2))
    if split is None or not 7 <= len(split[1]) <= 8:
        return None
    # A typed hyphen must agree with the plan: "0101-2345678" is not Beijing's 010.
    if "-" in text and split[0] != match.group(1):
        return None
    return f"0{split[0]}-{split[1]}"


def normalize_phone(value: str) -> str:
    """``+86 13800000000`` or ``0791-12345678[-123]``; raises ValueError otherwise."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if mobile := _MOBILE.match(text.replace("-", "")):
        return f"+86 {mobile.group(1)}"
    extension: str | None = None
    if "转" in text:
        text, extension = text.split("转", 1)
    elif "-" in text and _landline(text) is None and _landline(text.rsplit("-", 1)[0]):
        # "010-1234567-8": a last hyphen group is an extension when the rest is a whole number.
        text, extension = text.rsplit("-", 1)
    number = _landline(text, grouped=True)
    if number is None or (extension is not None and not _EXTENSION.match(extension)):
        raise ValueError(f"not a phone number: {value!r}")
    return number if extension is None else f"{number}-{extension}"


def validate_phone(value: str | None) -> list[FieldError]:
    """Optional Chinese mobile or landline number (code ``format``)."""
    if value is None or value == "":
        return []
    try:
        normalize_phone(value)
    except (ValueError, TypeError):
        return [FieldError(
            "phone", "format",
            "phone number must be a mobile number like 13800000000 or a landline with "
            "area code like 0791-12345678 (extension as -123 or 转123)",
            "电话号码应为手机号（如 13800000000）或带区号的固定电话（如 0791-12345678，分机写作 -123 或 转123）")]
    return []
