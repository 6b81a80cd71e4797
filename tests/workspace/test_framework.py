"""The workspace framework's pure helpers, shared by every area: a refusal's status, Beijing time
with its offset, and refusals placed so that none of a field the form does not draw is lost."""

from __future__ import annotations

import pytest
from ecozone.workspace.framework import beijing, place, status_of


@pytest.mark.parametrize("code, status", [
    ("permission_denied", 403), ("not_found", 404), ("conflict", 409), ("validation_failed", 400),
    ("agenda_late", 409), ("quorum_not_met", 409), ("missing_signatures", 409), ("illegal_transition", 409),
    ("conflict_of_interest", 409), ("charter", 409), ("request_refused", 400), ("anything_else", 400), ("", 400),
    (None, 400),
])
def test_a_refusal_answers_the_status_its_code_says(code, status):
    assert status_of(code) == status


def test_every_conflict_of_the_api_answers_409():
    """A Conflict subclass with a code of its own (a charter rule's refusal, a late agenda item) is a
    state conflict like any Conflict: never the 400 of a code the workspace does not know."""
    import ecozone.graphql.schema  # noqa: F401 — imports every domain, so every subclass is defined
    from ecozone.errors import Conflict

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)
    codes = {sub.code for sub in subclasses(Conflict)}
    assert "charter" in codes
    assert {code: status_of(code) for code in codes} == dict.fromkeys(codes, 409)


@pytest.mark.parametrize("value, shown", [
    ("2026-12-02T23:32:18+00:00", "2026-12-03 07:32 +08:00"),   # past 16:00 UTC: the next day in Beijing
    ("2026-12-02T15:59:59Z", "2026-12-02 23:59 +08:00"),
    ("2026-12-02T08:00:00+08:00", "2026-12-02 08:00 +08:00"),
    ("2026-12-02T23:30:00-05:00", "2026-12-03 12:30 +08:00"),     # any offset the API might give
    ("2026-12-02T00:00:00", "2026-12-02 08:00 +08:00"),          # no offset: UTC, as the API's DateTime
    ("", ""), (None, ""),
])
def test_times_are_shown_in_beijing_time_with_the_offset(value, shown):
    assert beijing(value) == shown


@pytest.mark.parametrize("errors, fields, expected", [
    ({}, {"reason"}, {}),
    ({"form": "请说明理由", "reason": "请说明拒绝理由"}, {"reason"}, {"form": "请说明理由", "reason": "请说明拒绝理由"}),
    ({"form": "输入无效", "meetingId": "会议不存在"}, {"titleZh"}, {"form": "输入无效；会议不存在"}),
    ({"form": "input invalid", "motionId": "no such motion", "votes": "a unit appears twice"}, {"votes"},
     {"form": "input invalid; no such motion", "votes": "a unit appears twice"}),
    ({"form": "same", "x": "same"}, set(), {"form": "same"}),  # never said twice
])
def test_refusals_of_fields_the_form_does_not_draw_go_above_it(errors, fields, expected):
    assert place(errors, fields) == expected
