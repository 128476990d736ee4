"""The permission matrix: who may do what, and over which practices.

This table is the one place access rules live. Pages and the API both ask `ProgramAccess`
(psp/tenancy/access.py), which reads it; docs/permissions.md renders it and the tests check it
cell by cell. A role missing from a row has no access to that capability.
"""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    COACH = "coach"
    LEAD = "lead"
    STAFF = "staff"


class Reach(StrEnum):
    """Over which practices a capability applies."""

    PROGRAM = "program"  # the whole program
    ASSIGNED = "assigned"  # the practices the coach is assigned to
    OWN = "own"  # the practices the person belongs to with this role


class Capability(StrEnum):
    PEOPLE_VIEW = "people.view"
    PEOPLE_MANAGE = "people.manage"
    PRACTICE_VIEW = "practice.view"
    PRACTICE_CREATE = "practice.create"
    PRACTICE_EDIT = "practice.edit"
    PRACTICE_MOVE_STAGE = "practice.move_stage"
    PRACTICE_ASSIGN_COACH = "practice.assign_coach"
    PRACTICE_INVITE_STAFF = "practice.invite_staff"
    API_TOKENS_OWN = "api_tokens.own"
    INSTRUMENT_VIEW = "instrument.view"
    INSTRUMENT_MANAGE = "instrument.manage"
    ASSESSMENT_VIEW = "assessment.view"
    ASSESSMENT_OPEN = "assessment.open"
    ASSESSMENT_ANSWER = "assessment.answer"
    ASSESSMENT_FACILITATE = "assessment.facilitate"
    PLAN_VIEW = "plan.view"
    PLAN_EDIT = "plan.edit"
    ACTION_UPDATE = "action.update"
    VISIT_VIEW = "visit.view"
    VISIT_LOG = "visit.log"
    CASELOAD_VIEW = "caseload.view"
    CASELOAD_RULES_MANAGE = "caseload.rules_manage"
    FEEDBACK_RESULTS = "feedback.results"
    PROGRAM_SETTINGS = "program.settings"
    TASKS_VIEW = "tasks.view"
    REPORT_PRACTICE = "report.practice"
    REPORT_PROGRAM = "report.program"
    NOTIFICATIONS_OWN = "notifications.own"
    KPI_DEFINE = "kpi.define"
    KPI_VIEW = "kpi.view"
    KPI_ENTER = "kpi.enter"
    KPI_DASHBOARD = "kpi.dashboard"
    CPD_DEFINE = "cpd.define"
    CPD_RECORD = "cpd.record"
    CPD_VIEW = "cpd.view"
    CPD_VERIFY = "cpd.verify"
    COMPLIANCE_DEFINE = "compliance.define"
    COMPLIANCE_VIEW = "compliance.view"
    COMPLIANCE_COMPLETE = "compliance.complete"
    COMPLIANCE_ATTEST = "compliance.attest"


# How a role reads to people (the account menu, the people pages).
ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Admin",
    Role.MANAGER: "Manager",
    Role.COACH: "Coach",
    Role.LEAD: "Practice lead",
    Role.STAFF: "Practice staff",
}

A, M, C, L, S = Role.ADMIN, Role.MANAGER, Role.COACH, Role.LEAD, Role.STAFF
P, AS, OWN = Reach.PROGRAM, Reach.ASSIGNED, Reach.OWN

MATRIX: dict[Capability, dict[Role, Reach]] = {
    Capability.PEOPLE_VIEW: {A: P, M: P},
    Capability.PEOPLE_MANAGE: {A: P},
    Capability.PRACTICE_VIEW: {A: P, M: P, C: AS, L: OWN, S: OWN},
    Capability.PRACTICE_CREATE: {A: P},
    Capability.PRACTICE_EDIT: {A: P, C: AS, L: OWN},
    Capability.PRACTICE_MOVE_STAGE: {A: P, C: AS},
    Capability.PRACTICE_ASSIGN_COACH: {A: P},
    Capability.PRACTICE_INVITE_STAFF: {A: P, L: OWN},
    Capability.API_TOKENS_OWN: {A: P, M: P, C: P},
    Capability.INSTRUMENT_VIEW: {A: P, M: P, C: P, L: P, S: P},
    Capability.INSTRUMENT_MANAGE: {A: P},
    Capability.ASSESSMENT_VIEW: {A: P, M: P, C: AS, L: OWN, S: OWN},
    Capability.ASSESSMENT_OPEN: {A: P, C: AS, L: OWN},
    Capability.ASSESSMENT_ANSWER: {C: AS, L: OWN, S: OWN},
    Capability.ASSESSMENT_FACILITATE: {C: AS, L: OWN},
    Capability.PLAN_VIEW: {A: P, M: P, C: AS, L: OWN, S: OWN},
    Capability.PLAN_EDIT: {A: P, C: AS, L: OWN},
    Capability.ACTION_UPDATE: {A: P, C: AS, L: OWN, S: OWN},
    Capability.VISIT_VIEW: {A: P, M: P, C: AS, L: OWN, S: OWN},
    Capability.VISIT_LOG: {C: AS},
    Capability.CASELOAD_VIEW: {A: P, M: P, C: AS},
    Capability.CASELOAD_RULES_MANAGE: {A: P},
    Capability.FEEDBACK_RESULTS: {A: P, M: P, C: AS},
    Capability.PROGRAM_SETTINGS: {A: P},
    Capability.TASKS_VIEW: {A: P},
    Capability.REPORT_PRACTICE: {A: P, M: P, C: AS, L: OWN},
    Capability.REPORT_PROGRAM: {A: P, M: P},
    Capability.NOTIFICATIONS_OWN: {A: P, M: P, C: P, L: P, S: P},
    Capability.KPI_DEFINE: {A: P},
    Capability.KPI_VIEW: {A: P, M: P, C: AS, L: OWN, S: OWN},
    Capability.KPI_ENTER: {A: P, C: AS, L: OWN, S: OWN},
    Capability.KPI_DASHBOARD: {A: P, M: P},
    Capability.CPD_DEFINE: {A: P},
    # Everyone records their own CPD (a page says so when no scheme applies to them).
    Capability.CPD_RECORD: {A: P, M: P, C: P, L: P, S: P},
    Capability.CPD_VIEW: {A: P, M: P, L: OWN},
    # Admins verify; so do the people an admin names (CpdVerifier), whatever their role.
    Capability.CPD_VERIFY: {A: P},
    Capability.COMPLIANCE_DEFINE: {A: P},
    Capability.COMPLIANCE_VIEW: {A: P, M: P, C: AS, L: OWN, S: OWN},
    # Practice people answer their checklists; coaches guide them and read, never answer.
    Capability.COMPLIANCE_COMPLETE: {L: OWN, S: OWN},
    # The lead signs off; so does whoever the practice named for an item's attesting role
    # (PracticeDesignation), checked by compliance.instances.selectors.may_attest.
    Capability.COMPLIANCE_ATTEST: {L: OWN},
}

CAPABILITY_LABELS: dict[Capability, str] = {
    Capability.PEOPLE_VIEW: "See the program's people and invitations",
    Capability.PEOPLE_MANAGE: "Invite people, change program roles, revoke invitations",
    Capability.PRACTICE_VIEW: "See practices (profile, staff, coaches, stage history)",
    Capability.PRACTICE_CREATE: "Add practices",
    Capability.PRACTICE_EDIT: "Edit a practice's profile",
    Capability.PRACTICE_MOVE_STAGE: "Move a practice to another enrolment stage",
    Capability.PRACTICE_ASSIGN_COACH: "Assign and unassign coaches",
    Capability.PRACTICE_INVITE_STAFF: (
        "Invite people into a practice as lead or staff, send those invitations again or revoke "
        "them, and take people out of the practice (never oneself): the practice's people page"
    ),
    Capability.API_TOKENS_OWN: (
        "Create, list and revoke one's own API tokens (for the roles that integrate other systems)"
    ),
    Capability.INSTRUMENT_VIEW: "See assessment instruments and the change library",
    Capability.INSTRUMENT_MANAGE: (
        "Build, import, version and publish instruments; load packs; keep the change library"
    ),
    Capability.ASSESSMENT_VIEW: "See a practice's assessments, answers, scores and comparisons",
    Capability.ASSESSMENT_OPEN: "Open an assessment round (baseline or follow-up) for a practice",
    Capability.ASSESSMENT_ANSWER: "Answer an assessment as oneself",
    Capability.ASSESSMENT_FACILITATE: (
        "Compare respondents, record the consensus answers and submit the assessment for scoring"
    ),
    Capability.PLAN_VIEW: "See a practice's support plans, goals and actions",
    Capability.PLAN_EDIT: "Draft a plan from an assessment; edit, accept and complete plans",
    Capability.ACTION_UPDATE: "Move an action along: open, in progress, done, dropped",
    Capability.VISIT_VIEW: (
        "See a practice's visits (logged, planned, cancelled), their history and the dose"
    ),
    Capability.VISIT_LOG: (
        "Log, plan, edit, complete and cancel one's own visits to assigned practices"
    ),
    Capability.CASELOAD_VIEW: (
        "See caseloads: each practice's status (on track, needs attention, stalled) and why, "
        "and coach workload"
    ),
    Capability.CASELOAD_RULES_MANAGE: (
        "Set the rules that flag practices as needing attention or stalled"
    ),
    Capability.FEEDBACK_RESULTS: (
        "See participant feedback results (average usefulness, net promoter score, comments "
        "without names); coaches see their own visits' results"
    ),
    Capability.PROGRAM_SETTINGS: (
        "Change the program's name, description, time zone, daily digest hour, date format and "
        "how long report files are kept"
    ),
    Capability.TASKS_VIEW: (
        "See the program's background tasks that failed or wait to be retried, with the reason, "
        "and try them again"
    ),
    Capability.REPORT_PRACTICE: (
        "Request a practice's report card (PDF) and download the ones one requested"
    ),
    Capability.REPORT_PROGRAM: (
        "Request the program report (PDF) with filters, subscribe to it, and download it"
    ),
    Capability.NOTIFICATIONS_OWN: (
        "See one's own notifications, mark them read, and choose how each kind arrives (email "
        "at once, daily digest, in the app only)"
    ),
    Capability.KPI_DEFINE: (
        "Define the program's KPIs (unit, direction, aggregation, source, targets), set "
        "practices' own targets and load KPI packs"
    ),
    Capability.KPI_VIEW: (
        "See a practice's KPI dashboard: its values against target and, where the peer group "
        "is large enough, its percentile among peers"
    ),
    Capability.KPI_ENTER: "Enter, correct and import a practice's KPI values",
    Capability.KPI_DASHBOARD: (
        "See the program's KPI dashboard and aggregates: targets, run charts, breakdowns by "
        "sector, region, coach and stage (groups below the peer minimum hidden), the funnel"
    ),
    Capability.CPD_DEFINE: (
        "Set up CPD schemes (rules, templates, who they apply to), program activities and verifiers"
    ),
    Capability.CPD_RECORD: (
        "Record one's own CPD activities and evidence, read one's progress, and get one's "
        "transcripts and certificates"
    ),
    Capability.CPD_VIEW: "Read other people's CPD: activities, progress and transcripts",
    Capability.CPD_VERIFY: (
        "Verify or reject submitted CPD activities and ask for evidence (also people an admin "
        "names as verifiers)"
    ),
    Capability.COMPLIANCE_DEFINE: (
        "Set up checklist templates (sections, items, recurrence, sector packs) and assign them "
        "to practices"
    ),
    Capability.COMPLIANCE_VIEW: "Read practices' checklists, their answers, evidence and sign-offs",
    Capability.COMPLIANCE_COMPLETE: "Answer a practice's checklist items and attach evidence",
    Capability.COMPLIANCE_ATTEST: (
        "Sign off a completed checklist (also people a practice names for an attesting role)"
    ),
}
