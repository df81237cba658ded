"""What a replay did, step by step, and its JSON Lines form.

The JSON Lines text is the same, byte for byte, for the same scenario on any machine: keys
sorted, no spaces, non-ASCII kept as UTF-8, and nothing in it that depends on the machine
(the scenario's file is named without its folder). One line for the header, one per step
that ran, one for the summary. The header names the Stripe API version the steps answered as.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from attrs import frozen

from pmsim.domain import versions
from pmsim.domain.version_shapes import render
from pmsim.domain.versions import ApiVersion
from pmsim.scenarios.matching import Mismatch

#: Bumped when the shape of the lines changes, so old golden files fail loudly. 2: the header
#: has ``api_version``. Nothing reads transcripts back, so no older format needs reading.
FORMAT = 2


@frozen
class Check:
    """One verdict on a step: an expectation, or the implicit "this call must succeed"."""

    kind: str  # "expect", "expect_error", "expect_events", "succeeds", "references"
    held: bool
    message: str = ""  # why it did not hold, in words
    mismatches: tuple[Mismatch, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "held": self.held}
        if self.message:
            data["message"] = self.message
        if self.mismatches:
            data["mismatches"] = [m.to_dict() for m in self.mismatches]
        return data


@frozen
class StepRecord:
    """One step as it ran: the call with its references resolved, and what came of it.

    What came back is kept as the simulator gave it (frozen records and events, which never
    change) and turned into Stripe JSON only when asked: a long replay then keeps objects it
    already has rather than a fresh copy of each as nested dicts.
    """

    number: int
    line: int
    op: str
    params: Mapping[str, Any]
    name: str | None
    returned: Any  # a record with to_dict(), plain JSON-ready data, or None when it failed
    error: Mapping[str, Any] | None  # Stripe's error fields plus http_status, or None
    emitted: tuple[Any, ...]  # Event records (or their dicts)
    checks: tuple[Check, ...]
    #: The API version the result is shown in; None: as ``to_dict()`` writes it (the newest).
    version: ApiVersion | None = None

    @property
    def passed(self) -> bool:
        return all(check.held for check in self.checks)

    @property
    def result(self) -> Any:
        """The result's Stripe JSON, as the step's API version shows it; None when the call
        failed."""
        return shown(self.returned, self.version)

    @property
    def events(self) -> tuple[Mapping[str, Any], ...]:
        """The events the step emitted, oldest first, as Stripe JSON."""
        return tuple(as_json(event) for event in self.emitted)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"step": self.number, "line": self.line, "op": self.op,
                                "params": self.params}  # fmt: skip
        if self.name is not None:
            data["as"] = self.name
        if self.error is not None:
            data["error"] = self.error
        else:
            data["result"] = self.result
        data["events"] = list(self.events)
        data["checks"] = [check.to_dict() for check in self.checks]
        data["passed"] = self.passed
        return data


@frozen(repr=False)
class Transcript:
    """A replay's record; ``passed`` is true when every step ran and every check held.

    >>> import pmsim
    >>> from pmsim.scenarios.model import Scenario, Step
    >>> scenario = Scenario("one", (Step(1, 0, "customers.create", {"email": "a@x.co"}),))
    >>> transcript = pmsim.replay(scenario)
    >>> transcript.passed, transcript.steps[0].result["email"]
    (True, 'a@x.co')
    """

    name: str
    source: str
    seed: int
    start_time: int
    total_steps: int
    steps: tuple[StepRecord, ...]
    #: The name of the Stripe API version the steps answered as.
    api_version: str = versions.NEWEST.name

    @property
    def passed(self) -> bool:
        return len(self.steps) == self.total_steps and all(step.passed for step in self.steps)

    @property
    def names(self) -> dict[str, Any]:
        """The results the scenario named with ``as:``, as they were when each step ran."""
        return {s.name: s.result for s in self.steps if s.name is not None and s.error is None}

    @property
    def failed_step(self) -> StepRecord | None:
        return next((step for step in self.steps if not step.passed), None)

    def __repr__(self) -> str:
        failed = self.failed_step
        verdict = "passed" if failed is None else f"failed at step {failed.number}"
        ran = f"{len(self.steps)} of {self.total_steps} steps ran"
        return f"<Transcript {self.name!r}: {ran}, {verdict}>"

    def _repr_html_(self) -> str:
        from pmsim.display.transcript import transcript_html  # lazy: the renderer sits above

        return transcript_html(self)

    def lines(self) -> list[dict[str, Any]]:
        """The transcript as JSON-ready dicts: header, steps, summary."""
        failed = self.failed_step
        header = {"format": FORMAT, "scenario": self.name,
                  "source": PurePath(self.source).name if self.source else "",
                  "seed": self.seed, "start_time": self.start_time,
                  "api_version": self.api_version}  # fmt: skip
        summary = {"summary": {"steps": self.total_steps, "ran": len(self.steps),
                               "passed": self.passed,
                               "failed_step": failed.number if failed else None}}  # fmt: skip
        return [header, *(step.to_dict() for step in self.steps), summary]

    def to_jsonl(self) -> str:
        """The transcript as JSON Lines, byte-identical across runs and machines."""
        return "".join(dumps(line) + "\n" for line in self.lines())


def as_json(value: Any) -> Any:
    """A record's Stripe JSON (its ``to_dict()``); anything else as it is."""
    to_dict = getattr(value, "to_dict", None)
    return value if to_dict is None else to_dict()


def shown(value: Any, version: ApiVersion | None) -> Any:
    """``value``'s Stripe JSON as ``version`` shows it (fields a later version removed put
    back, as the REST API does); the newest shape for None."""
    body = as_json(value)
    return body if version is None else render(body, version)


def dumps(value: Any) -> str:
    """pmsim's one JSON spelling for transcripts: sorted keys, compact, UTF-8 text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
