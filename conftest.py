"""Root conftest. Environment defaults for tests live in config/settings_test.py, because
pytest-django imports the settings before any conftest is loaded."""
