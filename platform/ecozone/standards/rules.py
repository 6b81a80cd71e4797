"""Pure rules of the standard-release workflow: stages, tally, numbering, conflicts, diff."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from ecozone.workflow import StateMachine

KINDS = ("joint_local", "group")
GROUP_CODE = "T/NTSIBJGE"

# ISO-like stage codes of DESIGN §3.2.
STAGE_CODES = {"proposal": 10, "drafting": 20, "consultation": 30, "review": 40, "approval": 50,
               "published": 60, "withdrawn": 90, "superseded": 90}
STATE_NAMES = {
    "proposal": ("提案", "Proposal"), "drafting": ("起草", "Drafting"),
    "consultation": ("征求意见", "Consultation"), "review": ("技术审查", "Technical review"),
    "approval": ("联合批准", "Joint approval"), "published": ("已发布", "Published"),
    "withdrawn": ("已废止", "Withdrawn"), "superseded": ("已被替代", "Superseded"),
}
ACTION_NAMES_ZH = {
    "start_drafting": "开始起草", "open_consultation": "开始征求意见",
    "close_consultation": "结束征求意见", "pass_review": "通过技术审查",
    "fail_review": "未通过技术审查", "refuse": "拒绝批准", "publish": "发布",
    "confirm": "复审确认", "withdraw": "废止", "supersede": "被修订版替代",
}

STAGES = StateMachine(
    name_en="standard", name_zh="标准",
    transitions={
        ("proposal", "start_drafting"): "drafting",
        ("drafting", "open_consultation"): "consultation",
        ("consultation", "close_consultation"): "review",
        ("review", "pass_review"): "approval",
        ("review", "fail_review"): "drafting",
        ("approval", "refuse"): "drafting",
        ("approval", "publish"): "published",
        ("published", "confirm"): "published",
        ("published", "withdraw"): "withdrawn",
        ("published", "supersede"): "superseded",
    },
    state_names_zh={k: v[0] for k, v in STATE_NAMES.items()},
    action_names_zh=ACTION_NAMES_ZH,
)

VOTE_CHOICES = ("yes", "yes_with_comments", "no", "abstain")
YES_CHOICES = frozenset({"yes", "yes_with_comments"})


@dataclass(frozen=True)
class Tally:
    """A ballot's count. Abstentions take part (turnout) but are not yes votes."""

    panel_size: int
    cast: int
    yes: int
    no: int
    abstain: int
    turnout_ok: bool
    approval_ok: bool
    needs_en: tuple[str, ...]
    needs_zh: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return self.turnout_ok and self.approval_ok


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def tally(panel_size: int, choices: Iterable[str], *, turnout: tuple[int, int] = (3, 4),
          approval: tuple[int, int] = (3, 4)) -> Tally:
    """Passes when cast ≥ panel·t and yes ≥ cast·a (bounds included, integers only)."""
    choices = list(choices)
    unknown = set(choices) - set(VOTE_CHOICES)
    if unknown:
        raise ValueError(f"unknown vote choices {sorted(unknown)}")
    if len(choices) > panel_size:
        raise ValueError("more votes than panel members")
    t_num, t_den = turnout
    a_num, a_den = approval
    cast = len(choices)
    yes = sum(c in YES_CHOICES for c in choices)
    no = choices.count("no")
    abstain = choices.count("abstain")
    turnout_ok = panel_size > 0 and cast * t_den >= panel_size * t_num
    approval_ok = cast > 0 and yes * a_den >= cast * a_num
    needs_en: list[str] = []
    needs_zh: list[str] = []
    if not turnout_ok:
        missing = max(_ceil_div(panel_size * t_num, t_den) - cast, 1)
        needs_en.append(f"needs {missing} more vote{'s' if missing != 1 else ''} to reach the turnout "
                        f"of {t_num}/{t_den} of {panel_size}")
        needs_zh.append(f"还需 {missing} 票方达到投票率（{panel_size} 人的 {t_num}/{t_den}）")
    if not approval_ok:
        remaining = panel_size - cast
        # k more yes votes from members who have not voted: (yes+k)·a_den ≥ (cast+k)·a_num
        k = (max(_ceil_div(cast * a_num - yes * a_den, a_den - a_num), 1)
             if a_den > a_num else remaining + 1)
        if k <= remaining:
            needs_en.append(f"needs {k} more yes vote{'s' if k != 1 else ''}")
            needs_zh.append(f"还需 {k} 张赞成票")
        else:  # not enough voters left: only votes changed to yes can help
            k = _ceil_div(cast * a_num, a_den) - yes
            needs_en.append(f"needs {k} more yes vote{'s' if k != 1 else ''}, "
                            "which only voters changing their vote can give")
            needs_zh.append(f"还需 {k} 张赞成票，只能由已投票委员改投赞成")
    return Tally(panel_size, cast, yes, no, abstain, turnout_ok, approval_ok,
                 tuple(needs_en), tuple(needs_zh))


def designation(kind: str, number: int, year: int, zone_code: str | None = None) -> str:
    """DB36/T 1234—2026 for a zone's copy of a joint local standard, T/NTSIBJGE 001—2026."""
    if kind == "joint_local":
        if not zone_code:
            raise ValueError("a joint local standard is designated under a zone's code")
        return f"{zone_code} {number}—{year}"
    return f"{GROUP_CODE} {number:03d}—{year}"


@dataclass(frozen=True)
class Recusal:
    code: str
    reason_en: str
    reason_zh: str


def conflicts(*, expert_user_id: int, expert_organisation: str | None,
              declared_units: Iterable[str], drafting_user_ids: Iterable[int],
              lead_unit: str | None) -> list[Recusal]:
    """Why an expert may not vote on a standard (empty when they may)."""
    found: list[Recusal] = []
    if expert_user_id in set(drafting_user_ids):
        found.append(Recusal("drafter", "the expert is in the drafting group",
                             "该专家是起草组成员"))
    lead = _norm(lead_unit)
    if lead and (_norm(expert_organisation) == lead
                 or any(_norm(u) == lead for u in declared_units)):
        found.append(Recusal("lead_unit", f"the expert works for or with the lead unit {lead_unit}",
                             f"该专家与牵头单位“{lead_unit}”存在利益关系"))
    return found


def _norm(text: str | None) -> str:
    return "".join((text or "").split()).casefold()


def text_diff(old: str, new: str, *, old_label: str, new_label: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile=old_label, tofile=new_label))
