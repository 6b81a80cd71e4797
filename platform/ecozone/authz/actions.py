"""Every action of the permission table (policies/policy.csv) in words, in Chinese and English.

A refusal names the action the way a person says it (``无权查看理事会成员单位`` / ``not allowed to
read the council's member units``) rather than its internal name (``council_unit.read``), which
stays in ``PermissionDenied.action`` for programs. ``tests/authz/test_action_names.py`` fails
when the policy file has an action without both names here.
"""

from __future__ import annotations

# (object, action) → (Chinese, English): a verb phrase, completing "无权…" / "not allowed to …".
ACTION_NAMES: dict[tuple[str, str], tuple[str, str]] = {
    ("zone", "read"): ("查看试验区", "read the zones"),
    ("audit", "read"): ("查看审计日志", "read the audit log"),
    ("notification", "read"): ("查看通知", "read notifications"),
    # roles
    ("role", "list"): ("查看角色分配", "list the role assignments"),
    ("role.director", "grant"): ("授予或撤销主任角色", "grant or revoke the director role"),
    ("role.secretary", "grant"): ("授予或撤销秘书角色", "grant or revoke the secretary role"),
    ("role.expert", "grant"): ("授予或撤销专家角色", "grant or revoke the expert role"),
    ("role.member", "grant"): ("授予或撤销成员角色", "grant or revoke the member role"),
    # experts
    ("expert", "read"): ("查看专家库", "read the expert registry"),
    ("expert", "create"): ("登记专家信息", "register an expert profile"),
    ("expert", "update_own"): ("修改本人的专家信息", "update one's own expert profile"),
    ("expert", "declare_conflict"): ("申报利益冲突", "declare a conflict of interest"),
    ("expert", "verify"): ("审核专家", "verify experts"),
    ("expert", "suspend"): ("暂停专家资格", "suspend experts"),
    ("expert", "designate_chief"): ("指定首席专家", "designate chief experts"),
    ("expert", "read_private"): ("查看专家的非公开信息", "read experts' private details"),
    # projects
    ("project", "read"): ("查看创新项目", "read innovation projects"),
    ("project", "propose"): ("申报创新项目", "propose an innovation project"),
    ("project", "open_notice"): ("发布项目公示", "open a project's public notice"),
    ("project", "approve"): ("批准立项", "approve a project"),
    ("project", "reject"): ("驳回项目申报", "reject a project proposal"),
    ("project", "start"): ("启动项目", "start a project"),
    ("project", "request_join"): ("申请加入项目工作组", "ask to join a project's working group"),
    ("project", "decide_join"): ("审批加入工作组的申请", "decide requests to join a working group"),
    ("project", "manage_working_group"): ("管理项目工作组", "manage a project's working group"),
    ("project", "request_adjustment"): ("申请调整项目", "request a project adjustment"),
    ("project", "approve_adjustment"): ("批准项目调整", "approve a project adjustment"),
    ("project", "refuse_adjustment"): ("驳回项目调整", "refuse a project adjustment"),
    ("project", "submit_closure"): ("提交结题材料", "submit a project for closure"),
    ("project", "pass_closure"): ("通过结题验收", "pass a project's closure review"),
    ("project", "return_closure"): ("退回结题材料", "return a project's closure for rework"),
    ("project", "terminate"): ("终止项目", "terminate a project"),
    ("project", "archive"): ("归档项目", "archive a project"),
    # standards
    ("standard", "create"): ("立项新标准", "create a standard"),
    ("standard", "draft"): ("编写标准草案", "write a standard's drafts"),
    ("standard", "manage"): ("推进标准的制定流程", "run a standard through its stages"),
    ("standard", "vote"): ("对标准草案投票", "vote on a standard's draft"),
    ("standard", "sign"): ("会签联合标准", "sign a joint standard"),
    ("standard", "publish"): ("发布标准", "publish a standard"),
    # consultations
    ("consulted_document", "create"): ("登记征求意见的文件", "register a document for consultation"),
    ("consultation", "open"): ("发起征求意见", "open a consultation"),
    ("consultation", "comment"): ("提交意见", "comment in a consultation"),
    ("consultation", "decide"): ("处理意见", "decide on comments"),
    ("consultation", "close"): ("结束征求意见", "close a consultation"),
    # catalogs
    ("catalog", "edit"): ("编辑追溯标准目录草稿", "edit a traceability catalog draft"),
    ("catalog", "publish"): ("发布追溯标准目录", "publish a traceability catalog"),
    # joint meetings and news
    ("joint_meeting", "host"): ("主办联席会议", "host a joint meeting"),
    ("joint_meeting", "invite"): ("邀请联席会议参会方", "invite to a joint meeting"),
    ("joint_meeting", "record"): ("登记联席会议出席情况", "record a joint meeting's attendance"),
    ("joint_meeting", "add_material"): ("提交联席会议材料", "table a joint meeting's materials"),
    ("joint_meeting", "write_minutes"): ("撰写联席会议纪要", "write a joint meeting's minutes"),
    ("joint_meeting", "publish_minutes"): ("公开联席会议纪要", "publish a joint meeting's minutes"),
    ("meeting_follow_up", "update"): ("办理会议议定事项", "update a meeting's follow-up item"),
    ("calendar_feed", "manage"): ("管理本人的日历订阅", "manage one's calendar feed"),
    ("news", "write"): ("撰写新闻和通知公告", "write news and announcements"),
    ("news", "publish"): ("发布或撤回新闻和通知公告", "publish or withdraw news and announcements"),
    # talent and training
    ("training", "manage"): ("管理培训项目", "manage training programmes"),
    ("training", "enrol"): ("报名参加培训", "enrol in a training session"),
    ("training", "withdraw"): ("退出培训", "withdraw from a training session"),
    ("certificate", "set_name_display"): ("设置证书上的姓名显示", "set how a certificate shows the name"),
    ("talent_base", "manage"): ("管理人才基地", "manage talent bases"),
    ("chief_expert_call", "open"): ("发布首席专家征集", "open a call for chief experts"),
    ("chief_expert_call", "apply"): ("申请首席专家", "apply to a call for chief experts"),
    ("chief_expert_call", "decide"): ("评定首席专家申请", "decide applications to a chief-expert call"),
    # events and venues
    ("event", "manage"): ("发布和管理活动", "announce and run events"),
    ("event", "register"): ("报名参加活动", "register for an event"),
    ("event", "cancel_registration"): ("取消活动报名", "cancel an event registration"),
    ("venue", "manage"): ("登记场地和设备", "register venues and equipment"),
    ("venue", "book"): ("预订场地和设备", "book venues and equipment"),
    # expert consulting
    ("consulting", "ask"): ("提交咨询", "ask the expert team a question"),
    ("consulting", "assign"): ("为咨询分派专家", "assign experts to a consultation"),
    ("consulting", "answer"): ("答复咨询", "answer a consultation"),
    ("consulting", "rate"): ("评价咨询答复", "rate a consultation's answer"),
    # standard uptake
    ("standard_uptake", "record"): ("登记标准的应用、试点、验证和评估", "record a standard's uptake"),
    # traceability platform
    ("trace_enterprise", "register"): ("登记追溯企业", "register a traceability enterprise"),
    ("trace_enterprise", "add_member"): ("添加企业的追溯填报人员", "add a person who submits an enterprise's records"),
    ("trace_record", "submit"): ("提交追溯记录", "submit trace records"),
    ("trace_record", "read_private"): ("查看追溯记录的非公开指标", "read trace records' private indicators"),
    # the council
    ("council_unit", "read"): ("查看理事会成员单位", "read the council's member units"),
    ("council_unit", "apply"): ("申请加入理事会", "apply to join the council"),
    ("council_unit", "register_founding"): ("登记理事会发起单位", "register the council's founding units"),
    ("council_unit", "decide"): ("审批入会申请", "decide applications to join the council"),
    ("council_unit", "delegate"): ("更换成员单位代表", "change a member unit's delegate"),
    ("council_unit", "change_head"): ("变更成员单位负责人", "change a member unit's head"),
    ("council_unit", "exit"): ("办理成员单位退出", "record a member unit's exit"),
    ("council_officer", "read"): ("查看理事会负责人", "read the council's officers"),
    ("council_officer", "elect"): ("选举理事会负责人", "elect the council's officers"),
    ("council_officer", "end"): ("终止理事会负责人任期", "end a council officer's term"),
    ("council_meeting", "read"): ("查看理事会会议", "read the council's meetings"),
    ("council_meeting", "manage"): ("筹备和主持理事会会议", "call and run council meetings"),
    ("council_meeting", "approve_voting_mode"): ("批准会议表决方式", "approve a meeting's voting mode"),
    ("council_meeting", "submit_agenda_item"): ("提交会议议题", "submit an agenda item"),
    ("council_motion", "manage"): ("管理会议议案", "manage a meeting's motions"),
    ("council_motion", "cast_vote"): ("对议案表决", "vote on a motion"),
    ("council_minutes", "write"): ("撰写会议纪要", "write a meeting's minutes"),
    ("council_minutes", "publish"): ("发布会议纪要", "publish a meeting's minutes"),
    ("council_publication", "read"): ("查看理事会公开信息", "read the council's publications"),
    ("council_task", "read"): ("查看理事会任务", "read the council's tasks"),
    ("council_task", "assign"): ("登记决议分配的任务", "record a task a resolution assigns"),
    ("council_task", "report"): ("报告任务完成", "report a council task done"),
    ("council_task", "read_overdue"): ("督查逾期任务", "watch the council's overdue tasks"),
    ("council_unit", "rate"): ("评价成员单位年度表现", "rate a member unit's year"),
    ("rule_document", "read"): ("查看创新基地制度文件", "read the base's rules"),
    ("rule_document", "register"): ("登记制度文件", "record one of the base's rules"),
    ("rule_document", "adopt"): ("登记制度文件新版本", "record a new version of a rule"),
    ("council_committee", "read"): ("查看专家委员会", "read the expert committee"),
    ("council_committee", "appoint"): ("聘任专家委员会委员", "appoint a member of the expert committee"),
    ("council_committee", "dismiss"): ("解聘专家委员会委员", "dismiss a member of the expert committee"),
    ("council_committee", "record_opinion"): ("登记专家委员会意见", "record an opinion of the expert committee"),
    ("council_task", "oversee"): ("监督决议落实情况", "oversee how resolutions are carried out"),
    ("oversight", "read"): ("查看考评和第三方评估", "read evaluations of officers and of the base"),
    ("oversight", "evaluate"): ("登记考评和第三方评估", "record evaluations of officers and of the base"),
    ("role.supervisor", "grant"): ("授予或撤销监督人员角色", "grant or revoke the supervisor role"),
    # the base's year: plan, reports, funds
    ("annual_plan", "manage"): ("编制年度工作计划", "draw up the annual work plan"),
    ("annual_plan", "adopt"): ("确认理事大会通过工作计划", "record the general meeting's adoption of the work plan"),
    ("annual_report", "manage"): ("编制年度工作报告和财务报告", "draw up the annual work and financial reports"),
    ("annual_report", "adopt"): ("确认理事大会审议通过年度报告", "record the general meeting's adoption of an annual report"),
    ("funds", "read"): ("查看经费账目", "read the funds' books"),
    ("funds", "record"): ("登记经费收支", "book receipts and payments of the funds"),
    ("funds", "budget"): ("编制经费预算", "set the funds' budget"),
}


def action_names(obj: str, act: str) -> tuple[str, str]:
    """(Chinese, English) of an action; an unnamed one (a bug) falls back to its internal name."""
    return ACTION_NAMES.get((obj, act), (f"{obj}.{act}", f"{act} {obj}"))
