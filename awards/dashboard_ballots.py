"""Dashboard sections for ballots."""


def sections(request, user) -> list:
    return []
