"""Helpers for users' test suites: the pytest plugin (``pmsim.testing.pytest_plugin``)."""
