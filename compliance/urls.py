"""Checklist pages under /p/<program>/compliance/ (namespace `compliance`): a practice's
checklists and one checklist with what is done on it. The templates' and follow-up pages have
url modules of their own under the same prefix (compliance/checklists/urls.py,
compliance/followup/urls.py)."""

from django.urls import path

from compliance.instances.views import checklist, items, practice, signoff

app_name = "compliance"

ITEM = "checklists/<int:pk>/items/<int:checklistitem_pk>/"

urlpatterns = [
    path(
        "practices/<int:practice_pk>/",
        practice.PracticeChecklistsView.as_view(),
        name="practice",
    ),
    path("checklists/<int:pk>/", checklist.ChecklistView.as_view(), name="checklist"),
    path(ITEM, items.ItemAnswerView.as_view(), name="item"),
    path(ITEM + "evidence/", items.ItemEvidenceView.as_view(), name="item_evidence"),
    path(ITEM + "action/", items.ItemActionView.as_view(), name="item_action"),
    path("checklists/<int:pk>/attest/", signoff.AttestView.as_view(), name="attest"),
    path("checklists/<int:pk>/correct/", signoff.CorrectView.as_view(), name="correct"),
    path(
        "checklists/<int:pk>/history/",
        checklist.ChecklistHistoryView.as_view(),
        name="history",
    ),
]
