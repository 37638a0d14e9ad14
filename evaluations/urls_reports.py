"""Annual reports, evidence, progress and extensions (names in the ``evaluations``
namespace). Year pages are ``<code>/<label>/…`` (a label may contain an en dash)."""

from django.urls import path

from .views import reports as views

urlpatterns = [
    path("<str:code>/<str:label>/report/mine/", views.my_report, name="my_report"),
    path("<str:code>/<str:label>/reports/", views.report_list, name="reports"),
    path("<str:code>/<str:label>/progress/", views.progress, name="progress"),
    path("<str:code>/<str:label>/progress.xlsx", views.progress_export, name="progress_export"),
    path("<str:code>/<str:label>/extensions/", views.extensions, name="extensions"),
    path("extensions/<int:pk>/edit/", views.extension_edit, name="extension_edit"),
    path("extensions/<int:pk>/revoke/", views.extension_revoke, name="extension_revoke"),
    path("report/<int:pk>/", views.report_detail, name="report"),
    path("report/<int:pk>/return/", views.report_return, name="report_return"),
    path("report/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("report/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
