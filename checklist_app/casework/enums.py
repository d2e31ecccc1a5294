"""The fixed choices of casework records, each with the words school staff read."""

from __future__ import annotations

import enum


class Labelled(enum.StrEnum):
    """An enum whose members carry the words staff read."""

    @property
    def label(self) -> str:
        """The value as school staff would say it."""
        return self.value.replace("-", " ").capitalize()


class CaseStatus(Labelled):
    OPEN = "open"
    CLOSED = "closed"


class Stage(Labelled):
    """Where a case is in the process of seed 001 (worked out by :func:`process.stage.current_stage`)."""

    OPENED = "opened"
    INVITED = "invited"
    SECOND_INVITE = "second-invite"
    FURTHER_SUPPORT = "further-support"
    CONTRACT_MEETING = "contract-meeting"
    CONTRACT = "contract"
    REVIEW = "review"
    IMPROVED = "improved"
    TERMINATION_WARNING = "termination-warning"
    NOTICE_TO_IMPROVE = "notice-to-improve"
    LEGAL = "legal"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    Stage.OPENED: "Opened: contract meeting to arrange",
    Stage.INVITED: "Invited to a contract meeting",
    Stage.SECOND_INVITE: "First meeting missed: second invite",
    Stage.FURTHER_SUPPORT: "Parents did not attend: further support period",
    Stage.CONTRACT_MEETING: "Contract meeting held: contract to sign",
    Stage.CONTRACT: "Contract in place: monitoring",
    Stage.REVIEW: "Contract review",
    Stage.IMPROVED: "Attendance improved: monitoring",
    Stage.TERMINATION_WARNING: "Termination warning sent",
    Stage.NOTICE_TO_IMPROVE: "Notice to Improve",
    Stage.LEGAL: "Referred for legal intervention",
    Stage.CLOSED: "Closed",
}


class LetterStep(Labelled):
    """A step of the process of seed 001; each letter of the sequence belongs to one (rules R11–R20).

    Step 3 is the contract itself (signed at the meeting), not a letter. Step 10 is not one of the
    seed's numbered letters: it tells the parents in writing that a contract ended, or the case
    closed, for any other reason (R10).
    """

    INVITE = "1"
    SECOND_INVITE = "2"
    CONTRACT = "3"
    OUTCOME = "4"
    FAILED_TO_ATTEND = "5"
    IMPROVED = "6"
    REVIEW_INVITE = "7a"
    TERMINATION_WARNING = "7b"
    NOTICE_TO_IMPROVE = "8"
    LEGAL_REFERRAL = "9"
    CONTRACT_ENDED = "10"

    @property
    def label(self) -> str:
        """What the step is, in the school's words."""
        return STEP_TITLES[self][0]

    @property
    def rule(self) -> str:
        """The rule (docs/RULES.md) that sets the step."""
        return STEP_TITLES[self][1]


#: Each step's title and rule (seed 001), in process order.
STEP_TITLES = {
    LetterStep.INVITE: ("Contract meeting – initial invite", "R11"),
    LetterStep.SECOND_INVITE: ("Contract meeting – second invite", "R12"),
    LetterStep.CONTRACT: ("Attendance contract (at the meeting)", "R13"),
    LetterStep.OUTCOME: ("Contract outcome letter", "R14"),
    LetterStep.FAILED_TO_ATTEND: ("Failed to attend", "R15"),
    LetterStep.IMPROVED: ("Attendance improved", "R16"),
    LetterStep.REVIEW_INVITE: ("Review meeting invite – parents engaging", "R17"),
    LetterStep.TERMINATION_WARNING: ("Termination warning – parents not engaging", "R18"),
    LetterStep.NOTICE_TO_IMPROVE: ("Notice to Improve (ends the contract)", "R19"),
    LetterStep.LEGAL_REFERRAL: ("Referral for legal intervention", "R20"),
    LetterStep.CONTRACT_ENDED: ("Contract ended or case closed", "R10"),
}


class ClosureReason(Labelled):
    """Why a case (or a contract) ends (rule R10)."""

    ATTENDANCE_IMPROVED = "attendance-improved"
    CHANGED_SCHOOL = "changed-school"
    ELECTIVE_HOME_EDUCATION = "elective-home-education"
    ALTERNATIVE_PLAN = "alternative-plan"
    EXCEPTIONAL_CIRCUMSTANCES = "exceptional-circumstances"
    LEGAL_INTERVENTION = "legal-intervention"

    @property
    def label(self) -> str:
        return {
            "attendance-improved": "Attendance improved",
            "changed-school": "Changed school",
            "elective-home-education": "Elective home education",
            "alternative-plan": "Alternative plan in place to address the barriers",
            "exceptional-circumstances": "Exceptional circumstances",
            "legal-intervention": "Escalated to legal intervention",
        }[self.value]


class MeetingKind(Labelled):
    CONTRACT = "contract"
    REVIEW = "review"
    PROFESSIONALS = "professionals"

    @property
    def label(self) -> str:
        return {"contract": "Attendance contract meeting", "review": "Review meeting",
                "professionals": "Professionals meeting"}[self.value]


class MeetingOutcome(Labelled):
    SCHEDULED = "scheduled"
    HELD = "held"
    NOT_ATTENDED = "not-attended"
    REARRANGED = "rearranged"
    #: Arranged by mistake or no longer needed; kept with its reason, ignored by the rules.
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"scheduled": "Scheduled", "held": "Held",
                "not-attended": "Parents did not attend",
                "rearranged": "Rearranged with notice", "cancelled": "Cancelled"}[self.value]


class AttendeeKind(Labelled):
    PARENT = "parent"
    PUPIL = "pupil"
    STAFF = "staff"
    AGENCY = "agency"

    @property
    def label(self) -> str:
        return {"parent": "Parent or carer", "pupil": "Pupil", "staff": "School staff",
                "agency": "Other agency"}[self.value]


class ContractStatus(Labelled):
    DRAFT = "draft"
    SIGNED = "signed"
    SUPERSEDED = "superseded"
    ENDED = "ended"


class DurationUnit(Labelled):
    WEEKS = "weeks"
    MONTHS = "months"


class Party(Labelled):
    PARENT = "parent"
    PUPIL = "pupil"
    SCHOOL = "school"
    AGENCY = "agency"

    @property
    def label(self) -> str:
        return {"parent": "Parent or carer agrees to", "pupil": "Pupil agrees to",
                "school": "School agrees to", "agency": "Other agency agrees to"}[self.value]


class AgreementStatus(Labelled):
    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "not-applicable"

    @property
    def label(self) -> str:
        return {"open": "Open", "done": "Complete", "not-applicable": "Not applicable"}[self.value]


class LetterStatus(Labelled):
    DRAFT = "draft"
    ISSUED = "issued"


class ContactMethod(Labelled):
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    TEXT = "text"
    HOME_VISIT = "home-visit"
    IN_PERSON = "in-person"

    @property
    def label(self) -> str:
        return {"phone": "Telephone", "letter": "Letter", "email": "E-mail",
                "text": "Text message", "home-visit": "Home visit",
                "in-person": "In person"}[self.value]


#: The enums templates compare with (``case.status == CaseStatus.OPEN``), registered as globals.
TEMPLATE_ENUMS: dict[str, type[Labelled]] = {kind.__name__: kind for kind in (
    CaseStatus, Stage, LetterStep, MeetingKind, MeetingOutcome, ContractStatus, LetterStatus,
    ContactMethod, AgreementStatus, DurationUnit, Party, ClosureReason, AttendeeKind)}
