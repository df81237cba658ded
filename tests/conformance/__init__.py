"""Conformance tests: a package, so its conftest.py is imported as conformance.conftest and
never takes the bare name ``conftest`` that tests/conftest.py is collected under."""
