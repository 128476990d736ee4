"""Report pages under /p/<program>/reports/: the person's reports, asking for one, its status
page, its download, cancelling a subscription."""

from django.urls import path

from psp.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("new/<slug:document_code>/", views.ReportRequestView.as_view(), name="request"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/download/", views.ReportDownloadView.as_view(), name="download"),
    path(
        "subscriptions/<int:pk>/cancel/",
        views.SubscriptionCancelView.as_view(),
        name="subscription_cancel",
    ),
]
