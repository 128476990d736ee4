"""PDSA pages, included in the plans' URLs (/p/<program>/plans/..., namespace `plans`): a cycle
belongs to a plan's goal, and its pages sit beside the goal's."""

from django.urls import path

from coaching.pdsa import views

urlpatterns = [
    path("goals/<int:plangoal_pk>/pdsa/new/", views.PdsaAddView.as_view(), name="pdsa_add"),
    path("pdsa/<int:pdsacycle_pk>/", views.PdsaDetailView.as_view(), name="pdsa_detail"),
    path("pdsa/<int:pdsacycle_pk>/move/", views.PdsaMoveView.as_view(), name="pdsa_move"),
]
