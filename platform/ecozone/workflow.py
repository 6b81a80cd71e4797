"""Pure state machines: a table of (state, action) → next state, and its typed refusal.

Each domain declares its table in its ``rules`` module; services call :func:`advance` so that
an illegal transition is always the same kind of error, in English and Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ecozone.errors import Conflict


class IllegalTransition(Conflict):
    code = "illegal_transition"


@dataclass(frozen=True)
class StateMachine:
    name_en: str
    name_zh: str
    transitions: Mapping[tuple[str, str], str]
    state_names_zh: Mapping[str, str]
    action_names_zh: Mapping[str, str]

    def allowed_actions(self, state: str) -> list[str]:
        return sorted(action for (from_state, action) in self.transitions if from_state == state)

    def advance(self, state: str, action: str) -> str:
        """The next state, or IllegalTransition saying what is possible from here."""
        if action not in self.action_names_zh:
            raise ValueError(f"unknown {self.name_en} action {action!r}")  # a bug, not input
        nxt = self.transitions.get((state, action))
        if nxt is not None:
            return nxt
        allowed = self.allowed_actions(state)
        allowed_en = ", ".join(allowed) or "none"
        allowed_zh = "、".join(self.action_names_zh[a] for a in allowed) or "无"
        raise IllegalTransition(
            f"cannot {action} a {self.name_en} that is {state}; possible now: {allowed_en}",
            f"{self.name_zh}当前为“{self.state_names_zh.get(state, state)}”，不能"
            f"{self.action_names_zh[action]}；当前可执行：{allowed_zh}")
