"""Cross-scoring pages under /e/scoring/. Fixed words (assignment, objection, …) come before
the ``<code>/<label>/`` patterns so that they never read as a cluster code."""

from django.urls import path

from .views import scoring as views

urlpatterns = [
    path("scoring/assignment/<int:pk>/", views.scoring_assignment, name="scoring_assignment"),
    path("scoring/assignment/<int:pk>/conflict/", views.scoring_conflict, name="scoring_conflict"),
    path("scoring/assignment/<int:pk>/reassign/", views.scoring_reassign, name="scoring_reassign"),
    path(
        "scoring/assignment/<int:pk>/remove/",
        views.scoring_assignment_remove,
        name="scoring_assignment_remove",
    ),
    path("scoring/assignment/<int:pk>/reopen/", views.scoring_reopen, name="scoring_reopen"),
    path(
        "scoring/objection/<int:pk>/answer/",
        views.scoring_objection_answer,
        name="scoring_objection_answer",
    ),
    path(
        "scoring/bonus/<int:pk>/approve/", views.scoring_approve_bonus, name="scoring_approve_bonus"
    ),
    path(
        "scoring/deduction/<int:pk>/approve/",
        views.scoring_approve_deduction,
        name="scoring_approve_deduction",
    ),
    path(
        "scoring/imposed/<int:pk>/remove/",
        views.scoring_imposed_remove,
        name="scoring_imposed_remove",
    ),
    path("scoring/<str:code>/<str:label>/", views.scoring_year, name="scoring_year"),
    path("scoring/<str:code>/<str:label>/setup/", views.scoring_setup, name="scoring_setup"),
    path(
        "scoring/<str:code>/<str:label>/assignments.xlsx",
        views.scoring_assignments_export,
        name="scoring_assignments_export",
    ),
    path(
        "scoring/<str:code>/<str:label>/generate/", views.scoring_generate, name="scoring_generate"
    ),
    path(
        "scoring/<str:code>/<str:label>/assignments/add/",
        views.scoring_assignment_add,
        name="scoring_assignment_add",
    ),
    path("scoring/<str:code>/<str:label>/import/", views.scoring_import, name="scoring_import"),
    path(
        "scoring/<str:code>/<str:label>/import-template.xlsx",
        views.scoring_import_template,
        name="scoring_import_template",
    ),
    path(
        "scoring/<str:code>/<str:label>/mine/", views.scoring_my_targets, name="scoring_my_targets"
    ),
    path(
        "scoring/<str:code>/<str:label>/progress/", views.scoring_progress, name="scoring_progress"
    ),
    path(
        "scoring/<str:code>/<str:label>/progress.xlsx",
        views.scoring_progress_export,
        name="scoring_progress_export",
    ),
    path("scoring/<str:code>/<str:label>/remind/", views.scoring_remind, name="scoring_remind"),
    path("scoring/<str:code>/<str:label>/results/", views.scoring_results, name="scoring_results"),
    path(
        "scoring/<str:code>/<str:label>/results.xlsx",
        views.scoring_results_xlsx,
        name="scoring_results_xlsx",
    ),
    path(
        "scoring/<str:code>/<str:label>/ranking.csv",
        views.scoring_ranking_csv,
        name="scoring_ranking_csv",
    ),
    path("scoring/<str:code>/<str:label>/publish/", views.scoring_publish, name="scoring_publish"),
    path("scoring/<str:code>/<str:label>/freeze/", views.scoring_freeze, name="scoring_freeze"),
    path(
        "scoring/<str:code>/<str:label>/objections/",
        views.scoring_objections,
        name="scoring_objections",
    ),
    path(
        "scoring/<str:code>/<str:label>/approvals/",
        views.scoring_approvals,
        name="scoring_approvals",
    ),
    path(
        "scoring/<str:code>/<str:label>/deductions/add/",
        views.scoring_impose_deduction,
        name="scoring_impose_deduction",
    ),
]
