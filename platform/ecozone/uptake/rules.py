"""Pure rules of standard uptake: the kinds of record and what each must say."""

from __future__ import annotations

import datetime as dt

from ecozone.errors import FieldError

KINDS = {  # kind -> (zh, en, subject kinds allowed)
    "application": ("标准应用", "Application", ("enterprise", "place")),
    "pilot": ("试点示范", "Pilot demonstration", ("place",)),
    "verification": ("标准验证", "Verification", ("institution",)),
    "evaluation": ("标准评估", "Evaluation", ("institution",)),
}
SUBJECT_KINDS = {"enterprise": ("企业", "Enterprise"), "place": ("地方", "Place"),
                 "institution": ("机构", "Institution")}
OUTCOMES = {"meets": ("符合", "Meets the standard's aims"), "partly": ("部分符合", "Partly"),
            "fails": ("不符合", "Does not")}
# Uptake is recorded for a standard in force: published (60), not yet withdrawn or superseded.
RECORDABLE_STATES = ("published",)


def record_errors(*, kind: str, subject_kind: str, starts_on: dt.date, ends_on: dt.date | None,
                  outcome: str | None) -> list[FieldError]:
    """Every problem of a record at once."""
    if kind not in KINDS:
        return [FieldError("kind", "choice", "unknown kind of record", "未知的记录类型")]
    errors: list[FieldError] = []
    zh, en, subjects = KINDS[kind]
    if subject_kind not in subjects:
        errors.append(FieldError("subjectKind", "choice", f"a {en.lower()} is by: {', '.join(subjects)}",
                                 f"{zh}的对象须为：{'、'.join(SUBJECT_KINDS[s][0] for s in subjects)}"))
    if kind == "pilot" and ends_on is None:
        errors.append(FieldError("endsOn", "required", "a pilot has a period: give its end",
                                 "试点示范须有期限：请填写结束日期"))
    if ends_on is not None and ends_on < starts_on:
        errors.append(FieldError("endsOn", "order", "the period ends before it starts", "结束日期早于开始日期"))
    if kind in ("verification", "evaluation"):
        if outcome not in OUTCOMES:
            errors.append(FieldError("outcome", "required", "a verification or evaluation gives its outcome",
                                     "验证或评估须给出结论"))
    elif outcome is not None:
        errors.append(FieldError("outcome", "choice", "only verifications and evaluations have an outcome",
                                 "只有验证和评估记录有结论"))
    return errors


def may_record(standard_state: str) -> bool:
    return standard_state in RECORDABLE_STATES
