"""Users: people who sign in. Shared across zones; each has a home zone."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, or_, select, true
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ViewerScoped


class User(ViewerScoped, Timestamped, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    home_zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    # ``sub`` claim of an external identity provider (JWKS sign-in), when the user has one.
    external_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)

    @classmethod
    def visible_to(cls, scope):
        """Accounts are private (DESIGN §2). An account is seen by:

        - everyone, where the platform already made the person public: a verified expert, and
          the people of the working group of a standard that is public (consultation draft
          onwards: their names are printed in it);
        - the user themselves;
        - the staff (director, secretary) acting in the user's home zone;
        - people who work with the account in a zone-owned flow, for the rows they handle:
          whoever may decide or see a join request its requester, the staff of a zone the
          people holding a role there, the authors of comments in its consultations and the
          people enrolled in the trainings it hosts.

        Never merely by acting in a zone: a member of the same zone, another zone's staff and
        anonymous callers see nobody else. Which fields of a visible account are shown is the
        GraphQL type's business (the sign-in name: the user and home-zone staff only).
        """
        if scope.bypass:
            return true()
        # Imported here: this module is the foundation every domain's models import.
        from ecozone.experts.models import ExpertProfile
        from ecozone.projects.models import JoinRequest, WorkingGroupMember
        from ecozone.standards.models import PUBLIC_STATES, Standard

        clauses = [
            cls.id.in_(select(ExpertProfile.user_id).where(ExpertProfile.state == "verified")),
            cls.id.in_(select(WorkingGroupMember.user_id).where(
                WorkingGroupMember.user_id.is_not(None),
                WorkingGroupMember.project_id.in_(select(Standard.project_id).where(
                    Standard.state.in_(PUBLIC_STATES))))),
        ]
        if scope.user_id is not None:
            clauses.append(cls.id == scope.user_id)
            clauses.append(cls.id.in_(select(JoinRequest.user_id).where(JoinRequest.visible_to(scope))))
        if scope.zone_staff and scope.zone_id is not None:
            from ecozone.authz.models import RoleAssignment
            from ecozone.consultation.models import Comment, Consultation
            from ecozone.talent.models import Enrolment, sessions_hosted_by
            zone = scope.zone_id
            enrolments = Enrolment.__table__.alias("hosted_enrolment")
            clauses += [
                cls.home_zone_id == zone,
                cls.id.in_(select(RoleAssignment.user_id).where(RoleAssignment.zone_id == zone)),
                cls.id.in_(select(Comment.author_id).where(Comment.consultation_id.in_(
                    select(Consultation.id).where(Consultation.zone_id == zone)))),
                # Over the plain table: the enrolments this rule names are exactly those the
                # host's staff see (Enrolment.visible_to), without nesting that rule in here.
                cls.id.in_(select(enrolments.c.user_id).where(
                    enrolments.c.session_id.in_(sessions_hosted_by(zone)))),
            ]
        return or_(*clauses)
