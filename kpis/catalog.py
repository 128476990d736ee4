"""The names of the KPIs the change ideas and plan goals point to (`kpi_key`), until KPI
definitions of their own arrive (issue 14): pages show "Third next available appointment", not
`third-next-available`.

Every key the instrument packs use (assessments/instruments/packs/*.json) has a name here; a test
keeps it so. A key typed by hand that is not listed reads as its words ("waitlist-size" ->
"Waitlist size"), never as a code."""

KPI_NAMES: dict[str, str] = {
    # Primary care
    "coded-problem-list": "Patients with a coded problem list",
    "huddles-per-week": "Team huddles per week",
    "no-show-rate": "Missed appointment rate",
    "panel-size": "Panel size",
    "patient-experience": "Patient experience",
    "registry-coverage": "Chronic disease registry coverage",
    "same-day-access": "Same-day access",
    "screening-rate": "Screening rate",
    "tests-of-change": "Tests of change",
    "third-next-available": "Third next available appointment",
    # Mental health and social services
    "caseload-per-practitioner": "Caseload per practitioner",
    "consent-recorded": "Consent recorded",
    "days-to-triage": "Days to triage",
    "notes-on-time": "Session notes on time",
    "outcome-measure-use": "Use of outcome measures",
    "plans-co-written": "Plans written with the person",
    "referrals-completed": "Referrals completed",
    "safety-plans-current": "Current safety plans",
    "supervision-sessions": "Supervision sessions",
    "waitlist-size": "Waitlist size",
    # Law practice
    "client-satisfaction": "Client satisfaction",
    "client-updates-on-time": "Client updates on time",
    "conflict-checks-recorded": "Conflict checks recorded",
    "cpd-credits": "CPD credits",
    "days-to-payment": "Days to payment",
    "deadlines-double-checked": "Deadlines double-checked",
    "dormant-files": "Dormant files",
    "near-miss-reviews": "Near-miss reviews",
    "payments-verified": "Payments verified",
    "trust-reconciliations-on-time": "Trust reconciliations on time",
    # Schools and teaching
    "chronic-absence": "Chronic absence",
    "coaching-cycles": "Coaching cycles",
    "data-meetings-held": "Data meetings held",
    "family-contacts": "Family contacts",
    "formative-checks": "Formative checks",
    "reading-at-level": "Reading at grade level",
    "team-planning-sessions": "Team planning sessions",
}

# Words kept in capitals when a key not in the catalog is spelled out.
_ACRONYMS = {"cpd", "kpi", "ehr", "emr", "ed", "er", "gp", "ip", "it"}


def kpi_name(key: str) -> str:
    """The KPI's name: the catalog's, else the key's words ("days-to-triage" -> "Days to
    triage"); "" for no key."""
    key = (key or "").strip()
    if not key:
        return ""
    if key in KPI_NAMES:
        return KPI_NAMES[key]
    words = [
        word.upper() if word in _ACRONYMS else word
        for word in key.replace("_", "-").split("-")
        if word
    ]
    if not words:
        return key
    text = " ".join(words)
    return text[0].upper() + text[1:]
