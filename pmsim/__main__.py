from __future__ import annotations

from pmsim.cli import main

raise SystemExit(main())
