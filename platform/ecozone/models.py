"""Imports every model so that metadata is complete (Alembic, tests, scoping)."""

from ecozone.audit.models import AuditChainHead, AuditEntry
from ecozone.auth.models import User
from ecozone.authz.models import RoleAssignment
from ecozone.db.base import Base
from ecozone.experts.models import ConflictDeclaration, ExpertCategory, ExpertField, ExpertProfile
from ecozone.tenancy.models import Zone

# Domain models of later issues: one import line per domain, below this line.
from ecozone.notifications.models import Notification  # noqa: E402
from ecozone.consultation.models import Comment, Consultation, ConsultedDocument  # noqa: E402
from ecozone.projects.models import JoinRequest, Project, ProjectEvent, WorkingGroupMember  # noqa: E402
from ecozone.standards.models import (Ballot, NumberSequence, PanelMember, Standard,  # noqa: E402
                                      StandardEvent, StandardVersion, StandardZone, Vote)
from ecozone.talent.models import (Certificate, ChiefExpertApplication, ChiefExpertCall,  # noqa: E402
                                   Enrolment, SessionTeacher, TalentBase, TalentBasePerson,
                                   TrainingProgramme, TrainingSession)
from ecozone.catalogs.models import CatalogVersion  # noqa: E402
from ecozone.governance.models import (AgendaItem, Attendance, CouncilPublication,  # noqa: E402
                                       CouncilVote, DocumentInvitation, MeetingProposer,
                                       Meeting, MemberUnit,
                                       Minutes, Motion, Officer, UnitDecision)
from ecozone.fairuse.models import RateLimitRaise, RateLimitWindow  # noqa: E402
from ecozone.idempotency.models import IdempotencyKey  # noqa: E402
from ecozone.trusted.models import TrustedClient, TrustedDocument  # noqa: E402
from ecozone.rulebook.models import RuleDocument, RuleVersion  # noqa: E402,F401
from ecozone.committee.models import CommitteeMember, CommitteeOpinion  # noqa: E402,F401
from ecozone.oversight.models import OfficerEvaluation, ThirdPartyEvaluation  # noqa: E402,F401
from ecozone.meetings.models import (CalendarFeedToken, JointMeeting, MeetingAttendance,  # noqa: E402,F401
                                     MeetingDecision, MeetingFollowUp, MeetingInvitation,
                                     MeetingMaterial, MeetingSeries)
from ecozone.news.models import NewsArticle  # noqa: E402,F401
from ecozone.trace.models import (BatchLink, Enterprise, EnterpriseMember,  # noqa: E402,F401
                                 TraceRecord, TraceRecordKey)
from ecozone.events.models import (Event, EventRegistration, Venue, VenueBooking,  # noqa: E402,F401
                                   VenueBookingSlot)
from ecozone.consulting.models import ConsultingAnswer, ConsultingAssignment, ConsultingRequest  # noqa: E402,F401
from ecozone.uptake.models import UptakeRecord  # noqa: E402,F401

__all__ = ["AuditChainHead", "AuditEntry", "Base", "ConflictDeclaration", "ExpertCategory",
           "ExpertField", "ExpertProfile", "Notification", "RoleAssignment", "User", "Zone",
           "Comment", "Consultation", "ConsultedDocument",
           "JoinRequest", "Project", "ProjectEvent", "WorkingGroupMember",
           "Ballot", "NumberSequence", "PanelMember", "Standard", "StandardEvent", "StandardVersion",
           "StandardZone", "Vote",
           "Certificate", "Enrolment", "SessionTeacher", "TrainingProgramme", "TrainingSession",
           "ChiefExpertApplication", "ChiefExpertCall", "TalentBase", "TalentBasePerson",
           "CatalogVersion",
           "AgendaItem", "Attendance", "CouncilPublication", "CouncilVote", "DocumentInvitation", "Meeting", "MeetingProposer",
           "MemberUnit", "Minutes", "Motion", "Officer", "UnitDecision",
           "RateLimitRaise", "RateLimitWindow", "IdempotencyKey",
           "TrustedClient", "TrustedDocument"]
from ecozone.annual.models import AnnualPlan, AnnualReport, PlanItem  # noqa: E402,F401
from ecozone.funds.models import BudgetLine, FundEntry  # noqa: E402,F401
from ecozone.workspace.models import LocalAccount, SignInFailure, WebSession  # noqa: E402,F401
from ecozone.db.data_version import DataVersion  # noqa: E402,F401
