"""The schema's names for choice sets that several endpoints share (drf-spectacular's
ENUM_NAME_OVERRIDES, read by psp/settings.py): without one, two different sets behind fields of
the same name ("status") get numbered names, and the deploy check warns. Import paths only: the
settings read this before any app is loaded."""

ENUM_NAME_OVERRIDES = {
    "ProgramRoleEnum": "psp.tenancy.models.ProgramRole",
    "PracticeRoleEnum": "psp.accounts.models.PracticeRole",
    "StageEnum": "practices.models.Stage",
    "PdsaStageEnum": "coaching.pdsa.models.PdsaStage",
    "PdsaDecisionEnum": "coaching.pdsa.models.PdsaDecision",
    "PlanStatusEnum": "coaching.models.PlanStatus",
    "GoalStatusEnum": "coaching.models.GoalStatus",
    "ActionStatusEnum": "coaching.models.ActionStatus",
    "VisitStatusEnum": "coaching.models.VisitStatus",
    "VisitModeEnum": "coaching.models.VisitMode",
    "ActivityEnum": "coaching.models.Activity",
    "SeverityEnum": "coaching.models.Severity",
    "CaseloadStatusEnum": "coaching.caseload.rules.CaseloadStatus",
    "CaseloadRuleEnum": "coaching.caseload.rules.Rule",
    "NotificationDeliveryEnum": "psp.notifications.models.DELIVERY_CHOICES",
    "VersionStatusEnum": "assessments.instruments.models.VersionStatus",
    "QuestionKindEnum": "assessments.instruments.models.QuestionKind",
    "CpdActivityStatusEnum": "cpd.activities.models.ActivityStatus",
    "SectorEnum": "psp.tenancy.models.Sector",
    "ChecklistStatusEnum": "compliance.instances.models.InstanceStatus",
    "ItemOutcomeEnum": "compliance.instances.models.ItemOutcome",
    "AttesterEnum": "compliance.checklists.models.Attester",
    "ResponseTypeEnum": "compliance.checklists.models.ResponseType",
    "ChecklistVersionStatusEnum": "compliance.checklists.models.VersionStatus",
    "CpdClaimKindEnum": "cpd.claims.selectors.KINDS",
}
