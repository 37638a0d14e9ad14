"""Criteria tables, indicators and pledges under /e/. The URL names are a contract: other
pages (reports, dashboard) link to them."""

from django.urls import path

from .views import criteria, pledges

urlpatterns = [
    path("pledge/<int:pk>/", pledges.pledge_detail, name="pledge"),
    path("pledge/<int:pk>/accept/", pledges.pledge_accept, name="pledge_accept"),
    path("pledge/<int:pk>/return/", pledges.pledge_return, name="pledge_return"),
    path("<str:code>/<str:label>/criteria/", criteria.criteria_table, name="criteria"),
    path("<str:code>/<str:label>/criteria/edit/", criteria.criteria_edit, name="criteria_edit"),
    path(
        "<str:code>/<str:label>/criteria/import/", criteria.criteria_import, name="criteria_import"
    ),
    path(
        "<str:code>/<str:label>/criteria/export.xlsx",
        criteria.criteria_export,
        name="criteria_export",
    ),
    path("<str:code>/<str:label>/criteria/copy/", criteria.criteria_copy, name="criteria_copy"),
    path(
        "<str:code>/<str:label>/criteria/reopen/", criteria.criteria_reopen, name="criteria_reopen"
    ),
    path("<str:code>/<str:label>/criteria/close/", criteria.criteria_close, name="criteria_close"),
    path("<str:code>/<str:label>/indicators/", criteria.indicator_list, name="indicators"),
    path(
        "<str:code>/<str:label>/indicators/<int:pk>/edit/",
        criteria.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "<str:code>/<str:label>/indicators/<int:pk>/delete/",
        criteria.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "<str:code>/<str:label>/indicators/<int:pk>/move/",
        criteria.indicator_move,
        name="indicator_move",
    ),
    path("<str:code>/<str:label>/pledges/", pledges.covenant, name="covenant"),
    path(
        "<str:code>/<str:label>/pledges/export.xlsx",
        pledges.covenant_export,
        name="covenant_export",
    ),
    path("<str:code>/<str:label>/pledges/mine/", pledges.my_pledge, name="my_pledge"),
]
