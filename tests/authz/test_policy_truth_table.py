"""Truth table of the Casbin policy: every role × action × own zone / other zone / anonymous.

The expected table is written here by hand from DESIGN.md, independently of policy.csv,
so that a change of the policy file that nobody meant fails this test.
"""

from __future__ import annotations

import itertools

import pytest

from ecozone.authz.actor import Actor
from ecozone.authz.enforcer import permissions_table
from ecozone.settings import PROJECT_ROOT

POLICIES = PROJECT_ROOT / "policies"
ROLES = ("director", "secretary", "expert", "member", "enterprise", "supervisor")
EVERYONE = {"anonymous", "none", *ROLES}   # "none": signed in, no role in the zone
SIGNED_IN = {"none", *ROLES}
STAFF = {"director", "secretary"}

EXPECTED: dict[tuple[str, str], set[str]] = {
    ("zone", "read"): EVERYONE,
    ("expert", "read"): EVERYONE,
    ("expert", "create"): SIGNED_IN,
    ("expert", "update_own"): SIGNED_IN,
    ("expert", "declare_conflict"): SIGNED_IN,
    ("expert", "verify"): STAFF,
    ("expert", "suspend"): STAFF,
    ("expert", "designate_chief"): STAFF,
    ("expert", "read_private"): STAFF,
    ("role", "list"): STAFF,
    ("role.director", "grant"): {"director"},
    ("role.secretary", "grant"): {"director"},
    ("role.expert", "grant"): STAFF,
    ("role.member", "grant"): STAFF,
    ("audit", "read"): {"director", "supervisor"},  # the supervisor: 章程 第二十四条
    # --- notifications
    ("notification", "read"): SIGNED_IN,
    # --- projects
    ("project", "read"): EVERYONE,
    ("project", "propose"): {"member"},
    ("project", "approve"): STAFF,
    ("project", "reject"): STAFF,
    ("project", "open_notice"): STAFF,
    ("project", "start"): STAFF,
    ("project", "approve_adjustment"): STAFF,
    ("project", "refuse_adjustment"): STAFF,
    ("project", "terminate"): STAFF,
    ("project", "pass_closure"): STAFF,
    ("project", "return_closure"): STAFF,
    ("project", "archive"): STAFF,
    ("project", "request_adjustment"): SIGNED_IN,  # the proposer or a leader: checked in the service
    ("project", "submit_closure"): SIGNED_IN,
    ("project", "request_join"): SIGNED_IN,  # from any zone (办法 第十一条)
    ("project", "decide_join"): SIGNED_IN,  # the proposer only: checked in the service
    ("project", "manage_working_group"): SIGNED_IN,  # the proposer or owning-zone staff
    # --- consultation
    ("consultation", "comment"): SIGNED_IN,
    ("consultation", "open"): STAFF,
    ("consultation", "decide"): SIGNED_IN,  # the subject adapter decides who (drafters, office)
    ("consultation", "close"): STAFF,
    ("consulted_document", "create"): {"secretary"},
    # --- standards
    ("standard", "create"): STAFF,
    ("standard", "manage"): STAFF,
    ("standard", "draft"): SIGNED_IN,   # drafting-group membership is checked in the service
    ("standard", "vote"): SIGNED_IN,    # panel membership and recusal are checked in the service
    ("standard", "sign"): {"director"},
    ("standard", "publish"): STAFF,
    # --- catalogs
    ("catalog", "edit"): {"secretary"},   # drafts only: the state machine refuses the rest
    ("catalog", "publish"): {"director"},
    # --- joint meetings and news: the host's / participating zone's / article's zone's office,
    # checked in the service
    ("joint_meeting", "host"): STAFF,
    ("joint_meeting", "invite"): STAFF,
    ("joint_meeting", "record"): STAFF,
    ("joint_meeting", "add_material"): STAFF,
    ("joint_meeting", "write_minutes"): STAFF,
    ("joint_meeting", "publish_minutes"): STAFF,
    ("meeting_follow_up", "update"): STAFF,
    ("calendar_feed", "manage"): SIGNED_IN,
    ("news", "write"): STAFF,
    ("news", "publish"): STAFF,
    # --- talent
    ("training", "manage"): {"secretary"},  # the host zone's secretary: checked in the service
    ("training", "enrol"): {"member", "expert"},  # in the zone the user acts in, any zone
    ("training", "withdraw"): SIGNED_IN,  # the enrolled person only: checked in the service
    ("certificate", "set_name_display"): SIGNED_IN,  # the holder only
    ("talent_base", "manage"): STAFF,  # of the base's zone: checked in the service
    ("chief_expert_call", "open"): STAFF,
    ("chief_expert_call", "apply"): {"expert"},  # verified profile checked in the service
    ("chief_expert_call", "decide"): {"director"},  # of the calling zone
    # --- council units
    ("council_unit", "read"): {"director", "secretary", "member", "supervisor"},
    ("council_unit", "apply"): SIGNED_IN,  # 第十条: any legal entity applies to the secretariat
    ("council_unit", "register_founding"): {"secretary"},
    ("council_unit", "decide"): {"secretary"},  # records the general meeting's passed motion
    ("council_unit", "change_head"): {"secretary"},
    ("council_unit", "delegate"): {"secretary"},
    ("council_unit", "exit"): {"secretary"},  # records the council's decision
    ("council_officer", "read"): {"director", "secretary", "member", "supervisor"},
    ("council_officer", "elect"): {"secretary"},  # records the election result
    ("council_officer", "end"): {"secretary"},
    # --- council meetings
    ("council_meeting", "read"): {"director", "secretary", "member", "supervisor"},
    ("council_meeting", "manage"): {"secretary"},  # call, cancel, attendance, open, close
    ("council_meeting", "approve_voting_mode"): SIGNED_IN,  # the sitting chair only: checked in the service
    ("council_meeting", "submit_agenda_item"): SIGNED_IN,  # a unit's representative or the secretariat
    ("council_motion", "manage"): {"secretary"},  # propose, start the vote, record votes, count
    ("council_motion", "cast_vote"): SIGNED_IN,  # a unit's representative, written/online vote approved
    ("council_minutes", "write"): {"secretary"},
    ("council_minutes", "publish"): STAFF,
    ("council_publication", "read"): EVERYONE,  # 第三十条: disclosed
    ("council_task", "read"): {"director", "secretary", "member", "supervisor"},
    ("council_task", "assign"): {"secretary"},  # records the passed motion's tasks
    ("council_task", "report"): SIGNED_IN,  # the assignee or the secretariat: checked in the service
    ("council_task", "read_overdue"): SIGNED_IN,  # the sitting chair and secretary-general: the service
    ("council_unit", "rate"): {"secretary"},
    ("rule_document", "read"): EVERYONE,  # public: the portal shows the rules in force
    ("rule_document", "register"): {"secretary"},
    ("rule_document", "adopt"): {"secretary"},  # a full meeting's passed motion: checked in the service
    ("council_committee", "read"): {"director", "secretary", "member", "supervisor"},
    ("council_committee", "appoint"): {"secretary"},  # the council's passed motion: checked in the service
    ("council_committee", "dismiss"): {"secretary"},
    ("council_committee", "record_opinion"): {"secretary"},
    ("council_task", "oversee"): {"secretary", "supervisor"},  # overdue tasks, besides the sitting chair and SG
    ("oversight", "read"): {"director", "secretary", "supervisor"},
    ("oversight", "evaluate"): STAFF,  # the supervisor reads only (第二十四条)
    ("role.supervisor", "grant"): {"director"},
    # --- the base's year: the office's; adopted documents are read through their rows' visible_to
    ("annual_plan", "manage"): STAFF,
    ("annual_plan", "adopt"): STAFF,  # records the general meeting's passed motion
    ("annual_report", "manage"): STAFF,
    ("annual_report", "adopt"): STAFF,
    ("funds", "read"): STAFF | {"supervisor"},  # the supervisor: 章程 第二十四条
    ("funds", "record"): STAFF,
    ("funds", "budget"): STAFF,
    # --- traceability platform: the role `enterprise` is data (policy.csv), not code
    ("trace_enterprise", "register"): STAFF,
    ("trace_enterprise", "add_member"): STAFF,  # of the enterprise's zone: checked in the service
    ("trace_record", "submit"): {"enterprise"},  # for an enterprise the person belongs to: the service
    ("trace_record", "read_private"): STAFF,  # of the record's zone: checked in the service
    # --- events and venues, expert consulting, standard uptake
    ("event", "manage"): STAFF,  # of the host zone: checked in the service
    ("event", "register"): SIGNED_IN,  # members-only events: a role in the acting zone, in the service
    ("event", "cancel_registration"): SIGNED_IN,  # one's own registration only
    ("venue", "manage"): STAFF,
    ("venue", "book"): {"director", "secretary", "member"},  # a venue of the acting zone: the service
    ("consulting", "ask"): SIGNED_IN,  # an account answers for the question and rates the answer
    ("consulting", "assign"): STAFF,  # of the hosting zone: checked in the service
    ("consulting", "answer"): {"expert"},  # an assigned expert, no conflict: checked in the service
    ("consulting", "rate"): SIGNED_IN,  # the requester only, once
    ("standard_uptake", "record"): STAFF,
}


def actor(who: str, *, holds_role_in: str, acts_in: str) -> Actor:
    if who == "anonymous":
        return Actor(zone_id=2, zone_slug=acts_in, policies_dir=POLICIES)
    roles = frozenset() if who == "none" or holds_role_in != acts_in else frozenset({who})
    return Actor(user_id=7, username="u", home_zone_id=1, zone_id=1 if acts_in == "jiangxi" else 2,
                 zone_slug=acts_in, roles=roles, policies_dir=POLICIES)


CASES = [
    (obj, act, who, where)
    for (obj, act), who, where in itertools.product(
        EXPECTED, ["anonymous", "none", *ROLES], ["own zone", "other zone"])
]


@pytest.mark.parametrize(("obj", "act", "who", "where"), CASES,
                         ids=[f"{o}.{a}-{w}-{z.replace(' ', '_')}" for o, a, w, z in CASES])
def test_truth_table(obj, act, who, where):
    acts_in = "jiangxi" if where == "own zone" else "guizhou"
    allowed = actor(who, holds_role_in="jiangxi", acts_in=acts_in).can(obj, act)
    if where == "own zone" or who in {"anonymous", "none"}:
        expected = who in EXPECTED[(obj, act)]
    else:
        # A role held in Jiangxi gives nothing in Guizhou beyond what any signed-in user has.
        expected = "none" in EXPECTED[(obj, act)]
    assert allowed is expected


def test_policy_file_has_no_rule_outside_the_table():
    granted = {(obj, act) for _role, obj, act in permissions_table(POLICIES)}
    assert granted == set(EXPECTED)


def test_unknown_action_is_refused_for_everyone():
    for who in ROLES:
        assert not actor(who, holds_role_in="jiangxi", acts_in="jiangxi").can("expert", "delete")


def test_roles_do_not_stick_between_checks():
    director = actor("director", holds_role_in="jiangxi", acts_in="jiangxi")
    assert director.can("audit", "read")
    # same user id, next request without the role: the enforcer must not remember it
    assert not actor("none", holds_role_in="jiangxi", acts_in="jiangxi").can("audit", "read")
