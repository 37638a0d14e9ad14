"""Voting rounds of a year: /a/<cluster code>/<year label>/rounds/…"""

from django.urls import path

from .views import ballots as views

_ROUND = "<str:code>/<str:label>/rounds/<int:pk>/"

urlpatterns = [
    path("<str:code>/<str:label>/rounds/", views.round_list, name="rounds"),
    path("<str:code>/<str:label>/rounds/new/<str:kind>/", views.round_create, name="round_create"),
    path(_ROUND, views.round_detail, name="round"),
    path(_ROUND + "edit/", views.round_edit, name="round_edit"),
    path(_ROUND + "delete/", views.round_delete, name="round_delete"),
    path(_ROUND + "candidates/add/", views.candidate_add, name="round_candidate_add"),
    path(
        _ROUND + "candidates/<int:candidate_pk>/remove/",
        views.candidate_remove,
        name="round_candidate_remove",
    ),
    path(_ROUND + "open/", views.round_open, name="round_open"),
    path(_ROUND + "close/", views.round_close, name="round_close"),
    path(_ROUND + "vote/", views.ballot, name="ballot"),
    path(_ROUND + "turnout/", views.turnout, name="turnout"),
    path(_ROUND + "result/", views.round_result, name="round_result"),
    path(_ROUND + "receipts/", views.receipt_list, name="receipts"),
    path(_ROUND + "receipts.xlsx", views.receipt_export, name="receipts_export"),
]
