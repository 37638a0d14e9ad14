from tests.notifications.support import mail_down, mail_flaky, scoring_phase  # noqa: F401
