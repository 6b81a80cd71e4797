"""Pure rules of expert consulting: the request's life, the rating, who may not be assigned.

Conflicts of interest are the registry's one rule, as for review panels
(``standards.rules.conflicts``): an expert who works for or with the requesting unit (their
organisation, or a unit in their declared conflicts) or who asked the question is refused.
"""

from __future__ import annotations

from collections.abc import Iterable

from ecozone.errors import FieldError
from ecozone.standards import rules as standard_rules
from ecozone.workflow import StateMachine

REQUEST = StateMachine(
    name_en="consulting request", name_zh="咨询请求",
    transitions={("submitted", "assign"): "assigned", ("assigned", "assign"): "assigned",
                 ("assigned", "answer"): "answered", ("answered", "answer"): "answered",
                 ("answered", "assign"): "answered", ("answered", "rate"): "rated"},
    state_names_zh={"submitted": "待分派", "assigned": "已分派专家", "answered": "已答复", "rated": "已评价"},
    action_names_zh={"assign": "分派专家", "answer": "答复", "rate": "评价"})

MIN_RATING, MAX_RATING = 1, 5

# The panel rule's reasons, worded for a consultation.
_REASONS = {
    "drafter": ("the expert asked this question", "该专家是本咨询的提问人"),
    "lead_unit": ("the expert works for or with the requesting unit {unit}",
                  "该专家与提问单位“{unit}”存在利益关系"),
}


def rating_errors(rating: int) -> list[FieldError]:
    """A rating is a whole number of stars, 1–5."""
    if not MIN_RATING <= rating <= MAX_RATING:
        return [FieldError("rating", "range", f"the rating must be {MIN_RATING}–{MAX_RATING}",
                           f"评分须为 {MIN_RATING}–{MAX_RATING}")]
    return []


def assignment_conflicts(*, expert_user_id: int, expert_organisation: str | None,
                         declared_units: Iterable[str], requester_user_id: int,
                         requesting_unit: str) -> list[tuple[str, str, str]]:
    """(code, reason_en, reason_zh) for each reason the expert may not answer; empty when they may."""
    found = standard_rules.conflicts(expert_user_id=expert_user_id, expert_organisation=expert_organisation,
                                     declared_units=declared_units, drafting_user_ids=[requester_user_id],
                                     lead_unit=requesting_unit)
    return [(r.code, _REASONS[r.code][0].format(unit=requesting_unit),
             _REASONS[r.code][1].format(unit=requesting_unit)) for r in found]


def average_tenths(rating_sum: int, rating_count: int) -> int | None:
    """The average rating in tenths of a star, rounded half up, in integers (4.5 → 45)."""
    if rating_count == 0:
        return None
    return (rating_sum * 20 + rating_count) // (rating_count * 2)
