"""A dashboard provider whose own import fails (test_dashboard: such errors are raised)."""

import module_that_does_not_exist_for_cluster_tests  # noqa: F401


def sections(request, user):  # pragma: no cover - never reached
    return []
