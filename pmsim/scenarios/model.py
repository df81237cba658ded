"""What a scenario file says, as frozen records; nothing here knows about YAML.

>>> step = Step(1, 3, "customers.create", {"email": "ada@example.com"}, name="ada")
>>> Scenario("Ada signs up", (step,)).steps[0].name
'ada'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from pmsim.clock import DEFAULT_START
from pmsim.domain.errors import PmsimUsageError
from pmsim.domain.versions import ApiVersion

#: The step verb that re-reads an object instead of calling an operation.
CHECK = "check"
#: The keys of ``expect_error``: the fields of Stripe's error (and its HTTP status).
ERROR_FIELDS = ("type", "code", "param", "message", "http_status", "decline_code")


@frozen
class Step:
    """One step: an operation (or ``check``) with its parameters and what must happen.

    ``params`` and the expectations may hold references such as ``"${ada.id}"``; they are
    resolved when the step runs, against the names earlier steps gave with ``as``.
    """

    number: int  # from 1, as the report shows it
    line: int  # where the step starts in its file (0 when built in Python)
    op: str
    params: Mapping[str, Any] = field(factory=dict)
    name: str | None = None  # ``as``
    expect: Mapping[str, Any] | None = None
    expect_error: Mapping[str, Any] | None = None
    expect_events: tuple[Any, ...] | None = None
    #: Which of params, expect, expect_error and expect_events hold references, when known
    #: (the loader knows); replay resolves only those. None: look at them all.
    referring: frozenset[str] | None = field(default=None, repr=False)


@frozen
class Scenario:
    """A whole scenario: its header and its steps, ready to replay."""

    name: str
    steps: tuple[Step, ...]
    description: str = ""
    seed: int = 0
    start_time: int = DEFAULT_START
    source: str = ""  # the file's name, shown in reports and transcripts; "" if built in Python
    #: The Stripe API version the steps answer as (the header's ``api_version``); None when
    #: the file names none: then the simulator's own, the newest for the one replay makes.
    api_version: ApiVersion | None = None


class ScenarioError(PmsimUsageError):
    """A scenario file that cannot be replayed, with where and why.

    >>> str(ScenarioError("unknown operation 'x'", file="a.yaml", line=3, column=5, step=2))
    "a.yaml:3:5: step 2: unknown operation 'x'"
    """

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        line: int | None = None,
        column: int | None = None,
        step: int | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.step = step
        where = ":".join(str(part) for part in (file or "<scenario>", line, column) if part)
        prefix = f"{where}: step {step}: " if step else f"{where}: "
        super().__init__(prefix + message)
