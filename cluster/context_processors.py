from __future__ import annotations

from django.http import HttpRequest

from .selectors import clusters_of_user


def navigation(request: HttpRequest) -> dict:
    """Clusters for the navigation bar, fetched lazily (one query, only when rendered)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def nav_clusters():
        if not hasattr(request, "_nav_clusters"):
            request._nav_clusters = list(clusters_of_user(user).only("code", "name"))
        return request._nav_clusters

    return {"nav_clusters": nav_clusters}
