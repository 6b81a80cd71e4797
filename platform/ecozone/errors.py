"""Expected failures, raised by services and turned into typed GraphQL results.

Every failure carries its message in English and Chinese so that a partner
portal can show the user's language without a translation table of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    """One invalid input field, e.g. ``FieldError("orcid", "checksum", "...", "...")``."""

    field: str
    code: str
    message_en: str
    message_zh: str


class DomainError(Exception):
    """Base of the expected failures; never shown as an internal error."""

    code = "error"

    def __init__(self, message_en: str, message_zh: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh


class PermissionDenied(DomainError):
    code = "permission_denied"

    def __init__(self, message_en: str, message_zh: str, *, action: str = "", object_type: str = "",
                 object_id: str | None = None):
        super().__init__(message_en, message_zh)
        self.action = action
        self.object_type = object_type
        self.object_id = object_id


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    """The request is valid but the current state forbids it (e.g. already verified)."""

    code = "conflict"


@dataclass
class ValidationFailed(DomainError):
    errors: list[FieldError] = field(default_factory=list)
    code = "validation_failed"

    def __post_init__(self) -> None:
        en = "; ".join(f"{e.field}: {e.message_en}" for e in self.errors) or "invalid input"
        zh = "；".join(f"{e.field}：{e.message_zh}" for e in self.errors) or "输入无效"
        DomainError.__init__(self, en, zh)


def raise_if_invalid(errors: list[FieldError]) -> None:
    """Raise one ValidationFailed listing every problem, so the user fixes them all at once."""
    if errors:
        raise ValidationFailed(errors=list(errors))
