"""Dashboard sections for nominations."""


def sections(request, user) -> list:
    return []
