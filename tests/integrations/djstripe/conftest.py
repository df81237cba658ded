"""The Django project beside this file runs in dj-stripe's own venv (install.sh), not pmsim's:
pytest must not import it (``--doctest-modules`` would)."""

from __future__ import annotations

collect_ignore = ["driver.py", "settings.py", "urls.py"]
