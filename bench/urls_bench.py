"""The app's URLs plus the floor view, for the benchmark's server only."""

from django.urls import path

from config.urls import handler403, handler404, handler500  # noqa: F401 (root urlconf)
from config.urls import urlpatterns as app_urlpatterns

from .views import floor

urlpatterns = [
    path("__bench__/floor/", floor, name="bench_floor"),
    *app_urlpatterns,
]
