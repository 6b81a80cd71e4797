"""Free text from outside, checked one way by the services of events, consulting and uptake."""

from __future__ import annotations

from ecozone.errors import FieldError


def text(errors: list[FieldError], name: str, value: str | None, limit: int, *, required: bool) -> str | None:
    """``value`` stripped (None when blank); a FieldError added when required and blank, or too long."""
    value = (value or "").strip() or None
    if value is None and required:
        errors.append(FieldError(name, "required", f"{name} is required", f"必须填写 {name}"))
    elif value is not None and len(value) > limit:
        errors.append(FieldError(name, "length", f"at most {limit} characters", f"最多 {limit} 个字符"))
    return value
