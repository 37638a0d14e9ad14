"""Documents under /d/: the jobs first (``jobs`` is never a cluster code: codes are in
capitals), then a year's documents page."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="download"),
    path("jobs/<uuid:pk>/retry/", views.job_retry, name="retry"),
    path("<str:code>/<str:label>/", views.year_documents, name="year"),
    path("<str:code>/<str:label>/request/", views.request_document, name="request"),
]
