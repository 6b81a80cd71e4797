"""Who hears of a joint meeting, and in what words: one function per event (the services do the
change, then call these; the bilingual texts are kept here for review)."""

from __future__ import annotations

from ecozone.meetings.models import JointMeeting, MeetingSeries
from ecozone.notifications.service import Message
from ecozone.tenancy.models import Zone


def zone_invited(series: MeetingSeries, host: Zone) -> Message:
    return Message(kind="joint_meeting.zone_invited", subject_type="joint_meeting_series", subject_id=series.id,
                   title_zh=f"{host.name_zh}邀请贵区参加：{series.title_zh}",
                   title_en=f"{host.name_en} invites your zone to: {series.title_en}",
                   body_zh="请为本区指定参会人员（invitePersonToJointMeeting）。",
                   body_en="Name your zone's people for it (invitePersonToJointMeeting).")


def person_invited(series: MeetingSeries, for_zone: Zone) -> Message:
    return Message(kind="joint_meeting.person_invited", subject_type="joint_meeting_series", subject_id=series.id,
                   title_zh=f"您受邀代表{for_zone.name_zh}参加：{series.title_zh}",
                   title_en=f"You are invited for {for_zone.name_en} to: {series.title_en}",
                   body_zh="可生成日历订阅地址（makeCalendarFeedToken），在日历应用中查看各次会议。",
                   body_en="Make a calendar feed (makeCalendarFeedToken) to see every meeting in your calendar.")


def follow_up_assigned(series: MeetingSeries, meeting: JointMeeting, title_zh: str, title_en: str,
                       due_on) -> Message:
    return Message(kind="joint_meeting.follow_up_assigned", subject_type="joint_meeting", subject_id=meeting.id,
                   title_zh=f"会议交办事项：{title_zh}（{due_on} 前办结）",
                   title_en=f"Follow-up for your zone: {title_en} (due {due_on})",
                   body_zh=f"{series.title_zh}第 {meeting.sequence} 次会议议定。",
                   body_en=f"Decided at meeting {meeting.sequence} of {series.title_en}.")


def minutes_published(series: MeetingSeries, meeting: JointMeeting) -> Message:
    return Message(kind="joint_meeting.minutes_published", subject_type="joint_meeting", subject_id=meeting.id,
                   title_zh=f"会议纪要已公开：{series.title_zh}（第 {meeting.sequence} 次）",
                   title_en=f"Minutes published: {series.title_en} (meeting {meeting.sequence})")
