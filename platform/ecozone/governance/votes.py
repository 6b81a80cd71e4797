"""Quorum, vote counting and the motion's states (章程 第二十二条, 第二十三条): pure, integers only.

“2/3以上” includes the bound: 3·yes ≥ 2·base, never a float. Re-exported by
:mod:`ecozone.governance.rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ecozone.errors import DomainError, FieldError, ValidationFailed
from ecozone.workflow import StateMachine


def _counted(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def at_least_two_thirds(n: int) -> int:
    """The smallest count that is “2/3以上” of n: ceil(2n/3) in integers."""
    return -(-2 * n // 3)


# ---------------------------------------------------------------------------- quorum and votes (第二十二条, 第二十三条)

QUORUM_VICE_CHAIRS = 3


_COUNT_NAMES_ZH = {"yes": "赞成票数", "no": "反对票数", "abstain": "弃权票数", "present": "到会理事数",
                   "members": "全体理事数", "viceChairsPresent": "出席副理事长数"}


def _count_errors(counts: Mapping[str, int]) -> list[FieldError]:
    return [FieldError(name, "negative", f"{name} cannot be negative (got {value})",
                       f"{_COUNT_NAMES_ZH[name]}不能为负数（当前 {value}）")
            for name, value in counts.items() if value < 0]


@dataclass(frozen=True)
class Quorum:
    met: bool
    present: int
    members: int
    vice_chairs_present: int
    needed_present: int
    needed_vice_chairs: int
    rule_zh: str
    rule_en: str


def quorum(*, present: int, members: int, vice_chairs_present: int) -> Quorum:
    """第二十二条: 2/3 or more of the member units and 3 or more vice-chairs present.

    Met iff 3·present ≥ 2·members and vice_chairs_present ≥ 3. Impossible counts are a bug here
    (the service counts attendance rows): ValueError.
    """
    if _count_errors({"present": present, "members": members, "viceChairsPresent": vice_chairs_present}) \
            or present > members:
        raise ValueError(f"impossible attendance: {present} present of {members}, "
                         f"{vice_chairs_present} vice-chairs")
    needed = at_least_two_thirds(members)
    met = 3 * present >= 2 * members and vice_chairs_present >= QUORUM_VICE_CHAIRS
    return Quorum(
        met=met, present=present, members=members, vice_chairs_present=vice_chairs_present,
        needed_present=needed, needed_vice_chairs=QUORUM_VICE_CHAIRS,
        rule_zh=(f"出席 {present}/{members} 家理事单位（需 ≥{needed}，即 2/3 以上）、副理事长 "
                 f"{vice_chairs_present} 名（需 ≥{QUORUM_VICE_CHAIRS}）；章程第二十二条"),
        rule_en=(f"{present} of {members} member units present (needs ≥ {needed}, i.e. at least two thirds) "
                 f"and {_counted(vice_chairs_present, 'vice-chair')} (needs ≥ {QUORUM_VICE_CHAIRS}); "
                 f"Council Charter, Article 22"))


RESOLUTION_KINDS = ("ordinary", "major")
RESOLUTION_KIND_LABELS: dict[str, tuple[str, str]] = {
    "ordinary": ("一般决议", "Ordinary resolution"),
    "major": ("重大事项", "Major matter"),
}


@dataclass(frozen=True)
class Tally:
    kind: str
    passed: bool
    yes: int
    no: int
    abstain: int
    base: int      # those present (ordinary) or all members (major)
    needed: int    # yes votes needed: ceil(2·base/3)
    short_by: int  # yes votes missing; 0 when passed
    rule_zh: str
    rule_en: str


def tally_errors(*, kind: str, yes: int, no: int, abstain: int, present: int, members: int) -> list[DomainError]:
    """Impossible counts, as one ValidationFailed listing them all (empty when the counts are possible)."""
    errors: list[FieldError] = []
    if kind not in RESOLUTION_KINDS:
        errors.append(FieldError("kind", "choice", f"the resolution kind must be one of {', '.join(RESOLUTION_KINDS)}",
                                 f"决议类型必须是：{'、'.join(zh for zh, _ in RESOLUTION_KIND_LABELS.values())}"))
    negatives = _count_errors({"yes": yes, "no": no, "abstain": abstain, "present": present, "members": members})
    errors.extend(negatives)
    if not negatives:
        if yes + no + abstain > present:
            errors.append(FieldError("votes", "too_many",
                                     f"{yes + no + abstain} votes cast but only {present} present",
                                     f"表决票数 {yes + no + abstain} 超过到会理事数 {present}"))
        if present > members:
            errors.append(FieldError("present", "too_many", f"{present} present but only {members} members",
                                     f"到会理事数 {present} 超过全体理事数 {members}"))
    return [ValidationFailed(errors=errors)] if errors else []


def tally(*, kind: str, yes: int, no: int, abstain: int, present: int, members: int) -> Tally:
    """第二十二条: an ordinary resolution passes with 2/3 or more of those present voting yes (3·yes ≥ 2·present);
    第二十三条: a major matter with 2/3 or more of all members (3·yes ≥ 2·members).

    Impossible counts raise the ValidationFailed of :func:`tally_errors`.
    """
    problems = tally_errors(kind=kind, yes=yes, no=no, abstain=abstain, present=present, members=members)
    if problems:
        raise problems[0]
    base = present if kind == "ordinary" else members
    needed = at_least_two_thirds(base)
    passed = 3 * yes >= 2 * base
    short_by = 0 if passed else needed - yes
    if kind == "ordinary":
        base_zh, base_en = f"到会理事 {base} 名", f"{base} present"
        rule_zh, rule_en = "到会理事 2/3 以上", "at least two thirds of those present"
        article_zh, article_en = "章程第二十二条", "Council Charter, Article 22"
    else:
        base_zh, base_en = f"全体理事 {base} 名", f"{base} members in all"
        rule_zh, rule_en = "全体理事 2/3 以上", "at least two thirds of all members"
        article_zh, article_en = "章程第二十三条", "Council Charter, Article 23"
    outcome_zh = "通过" if passed else f"未通过，差 {short_by} 票"
    outcome_en = "passed" if passed else f"failed, {_counted(short_by, 'yes vote')} short"
    return Tally(
        kind=kind, passed=passed, yes=yes, no=no, abstain=abstain, base=base, needed=needed, short_by=short_by,
        rule_zh=(f"赞成 {yes} 票、反对 {no} 票、弃权 {abstain} 票；{base_zh}，需赞成 ≥{needed} 票"
                 f"（{rule_zh}）；{outcome_zh}；{article_zh}"),
        rule_en=(f"{yes} yes, {no} no, {abstain} abstaining; {base_en}, needs ≥ {needed} yes ({rule_en}); "
                 f"{outcome_en}; {article_en}"))


@dataclass(frozen=True)
class OutcomeMachine(StateMachine):
    """A state machine where one action may end in one of several states and the caller names which
    (a vote count ends in passed or failed): ``advance(state, "count", outcome="failed")``."""

    outcomes: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    def advance(self, state: str, action: str, outcome: str | None = None) -> str:
        nxt = super().advance(state, action)  # IllegalTransition when the action is not possible now
        choices = self.outcomes.get((state, action))
        if choices is None:
            if outcome not in (None, nxt):
                raise ValueError(f"{action} leads to {nxt}, not {outcome}")  # a bug, not input
            return nxt
        if outcome not in choices:
            raise ValueError(f"{action} must name its outcome, one of {choices}, not {outcome!r}")  # a bug
        return outcome


MOTION_STATES = ("proposed", "voting", "passed", "failed")
MOTION_MACHINE = OutcomeMachine(
    name_en="motion", name_zh="议案",
    transitions={("proposed", "start_vote"): "voting", ("voting", "count"): "passed"},
    outcomes={("voting", "count"): ("passed", "failed")},
    state_names_zh={"proposed": "待表决", "voting": "表决中", "passed": "已通过", "failed": "未通过"},
    action_names_zh={"start_vote": "开始表决", "count": "计票"})


def counted_motion_state(state: str, result: Tally) -> str:
    """The motion's state after counting: passed or failed as the tally says (IllegalTransition
    unless the motion is being voted on)."""
    return MOTION_MACHINE.advance(state, "count", outcome="passed" if result.passed else "failed")
