"""Notifications under /n/: the user's own (list, open, read, the bell) and a cluster's
reminder outbox (/n/outbox/<cluster code>/…)."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read-all/", views.notifications_read_all, name="read_all"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("outbox/<str:code>/", views.outbox, name="outbox"),
    path("outbox/<str:code>/export.xlsx", views.outbox_export, name="outbox_export"),
    path("outbox/<str:code>/send/", views.send_now, name="send_now"),
    path("outbox/<str:code>/<int:pk>/", views.outbox_message, name="message"),
    path("outbox/<str:code>/<int:pk>/retry/", views.outbox_retry, name="retry"),
]
