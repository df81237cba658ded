#!/usr/bin/env bash
# dj-stripe's own virtual environment for tests/integrations/test_djstripe.py: a separate one,
# since dj-stripe pins stripe-python to a range pmsim's dev extra need not share.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements.txt
