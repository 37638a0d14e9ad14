"""Catalogue, achievement histories and nominations under /a/ (namespace ``awards``)."""

from django.urls import path

from .views import nominations as views

_N = "nominations/<int:pk>/"
_YEAR = "<str:code>/<str:label>/"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("school/<str:code>/achievements/", views.achievements, name="achievements"),
    path(
        "school/<str:code>/achievements.xlsx",
        views.achievements_export,
        name="achievements_export",
    ),
    path("achievements/<int:pk>/revoke/", views.achievement_revoke, name="achievement_revoke"),
    path("achievements/import/", views.achievements_import, name="achievements_import"),
    path(
        "achievements/import/template.xlsx",
        views.achievements_template,
        name="achievements_template",
    ),
    path(_N, views.nomination_detail, name="nomination"),
    path(_N + "edit/", views.nomination_edit, name="nomination_edit"),
    path(_N + "submit/", views.nomination_submit, name="nomination_submit"),
    path(_N + "withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path(_N + "return/", views.nomination_return, name="nomination_return"),
    path(_N + "certify/", views.nomination_certify, name="nomination_certify"),
    path(_N + "forward/", views.nomination_forward, name="nomination_forward"),
    path(_N + "decide/", views.nomination_decide, name="nomination_decide"),
    path(_N + "refuse/", views.nomination_refuse, name="nomination_refuse"),
    path(_N + "revoke/", views.nomination_revoke, name="nomination_revoke"),
    path(_N + "comment/", views.nomination_comment, name="nomination_comment"),
    path(_N + "file/<str:which>/", views.nomination_file, name="nomination_file"),
    path(
        "dossier/<int:pk>/download/",
        views.dossier_document_download,
        name="dossier_document_download",
    ),
    path("<str:code>/nominations/", views.nominations_home, name="nominations_home"),
    path(_YEAR + "nominations/", views.nominations, name="nominations"),
    path(_YEAR + "nominations.xlsx", views.nominations_export, name="nominations_export"),
    path(_YEAR + "nominations/new/", views.nomination_create, name="nomination_create"),
    path(_YEAR + "nominations/publish/", views.nominations_publish, name="nominations_publish"),
    path(_YEAR + "dossier/", views.dossier_documents, name="dossier_documents"),
]
