"""A practice's timeline: its visits, stage changes, assessments, plans and actions in one
list, newest first, filtered by kind and period and paged by cursor; each kind shown only to
those who may see it. Its URLs also carry the practice's dose pages (one namespace for a
practice's coaching pages)."""
