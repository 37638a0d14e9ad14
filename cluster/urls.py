"""Cluster pages under /c/. The year page (``<code>/<label>/``) comes last: its label
(2026, 2017–2018) never collides with the fixed words before it."""

from django.urls import path

from . import views

app_name = "cluster"

urlpatterns = [
    path("", views.cluster_list, name="list"),
    path("school/<str:code>/", views.school_detail, name="school"),
    path("school/<str:code>/edit/", views.school_edit, name="school_edit"),
    path("<str:code>/", views.overview, name="overview"),
    path("<str:code>/members.xlsx", views.members_export, name="members_export"),
    path("<str:code>/members/", views.members_manage, name="members_manage"),
    path("<str:code>/members/add/", views.member_add, name="member_add"),
    path("<str:code>/members/<int:pk>/end/", views.member_end, name="member_end"),
    path("<str:code>/members/merger/", views.merger, name="merger"),
    path("<str:code>/years/", views.year_list, name="years"),
    path("<str:code>/years/new/", views.year_create, name="year_create"),
    path("<str:code>/movements/", views.movement_list, name="movements"),
    path("<str:code>/movements/new/", views.movement_create, name="movement_create"),
    path("<str:code>/movements/<int:pk>/", views.movement_detail, name="movement"),
    path("<str:code>/movements/<int:pk>/edit/", views.movement_edit, name="movement_edit"),
    path(
        "<str:code>/documents/<int:pk>/download/",
        views.document_download,
        name="document_download",
    ),
    path("<str:code>/documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("<str:code>/events/", views.event_list, name="events"),
    path("<str:code>/events.xlsx", views.events_export, name="events_export"),
    path("<str:code>/events/new/", views.event_create, name="event_create"),
    path("<str:code>/events/<int:pk>/", views.event_detail, name="event"),
    path("<str:code>/events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<str:code>/events/<int:pk>/minutes/", views.event_minutes, name="event_minutes"),
    path("<str:code>/<str:label>/", views.year_detail, name="year"),
    path("<str:code>/<str:label>/edit/", views.year_edit, name="year_edit"),
    path("<str:code>/<str:label>/leadership/", views.year_leadership, name="year_leadership"),
    path("<str:code>/<str:label>/phases/new/", views.phase_create, name="phase_create"),
    path("<str:code>/<str:label>/phases/<int:pk>/edit/", views.phase_edit, name="phase_edit"),
    path("<str:code>/<str:label>/phases/<int:pk>/delete/", views.phase_delete, name="phase_delete"),
]
