"""A transcript as a person reads it: one line per step, and for a failure, what differed.

>>> import pmsim
>>> transcript = pmsim.replay(pmsim.load_scenario("scenarios/01-happy-path.yaml"))
>>> print(render(transcript).splitlines()[1][:60])
  ok    1  customers.create(email='ada@example.com', name='A
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from typing import Any

from pmsim.domain.versions import NEWEST
from pmsim.scenarios.transcript import StepRecord, Transcript

GREEN, RED, DIM, BOLD, RESET = "\033[32m", "\033[31m", "\033[2m", "\033[1m", "\033[0m"
SHOWN_PARAMS = 60  # characters of parameters on a step's line before it is cut short
HINT_WIDTH = 88  # a teaching hint is wrapped to this width, under its step


class Style:
    """ANSI colours, or none at all (for pipes, files and NO_COLOR)."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if self.color else text


def render(transcript: Transcript, color: bool = False) -> str:
    """The step-by-step account of one replay, ending with its verdict."""
    paint = Style(color)
    title = f"{transcript.source}: " if transcript.source else ""
    # The version is named when it is not the newest, the one a scenario answers as by default.
    older = transcript.api_version != NEWEST.name
    version = f" (API version {transcript.api_version})" if older else ""
    lines = [paint(BOLD, f"{title}{transcript.name}{version}")]
    for step in transcript.steps:
        lines.extend(_step_lines(step, paint))
    failed = transcript.failed_step
    if failed is None and transcript.passed:
        lines.append(paint(GREEN, f"  passed: all {transcript.total_steps} steps"))
    else:
        number = failed.number if failed else len(transcript.steps)
        skipped = transcript.total_steps - len(transcript.steps)
        rest = f"; {skipped} later steps not run" if skipped else ""
        lines.append(paint(RED, f"  FAILED at step {number}{rest}"))
    return "\n".join(lines)


def _step_lines(step: StepRecord, paint: Style) -> list[str]:
    mark = paint(GREEN, "ok  ") if step.passed else paint(RED, "FAIL")
    call = f"{step.op}({_params(step.params)})"
    outcome = describe(step.result, step.error)
    named = f" as {step.name}" if step.name and step.error is None else ""
    held = [check.kind for check in step.checks if check.held and check.kind != "succeeds"]
    checked = paint(DIM, f"  [{', '.join(held)}: held]") if held else ""
    lines = [f"  {mark} {step.number:>2}  {call} -> {outcome}{named}{checked}"]
    hint = step.error.get("hint") if step.error is not None else None
    if hint:
        wrapped = textwrap.wrap(
            hint, HINT_WIDTH, initial_indent="hint: ", subsequent_indent="      "
        )
        lines.extend(paint(DIM, "         " + line) for line in wrapped)
    for check in step.checks:
        if check.held:
            continue
        where = f"line {step.line}: " if step.line else ""
        lines.append(paint(RED, f"         {where}{check.kind} did not hold: ") + check.message)
        for mismatch in check.mismatches:
            path = f"{check.kind}.{mismatch.path}" if mismatch.path else check.kind
            lines.append(paint(DIM, f"           {path}"))
            lines.append(paint(GREEN, f"             - expected: {_show(mismatch.expected)}"))
            lines.append(paint(RED, f"             + actual:   {_show(mismatch.actual)}"))
    return lines


def _params(params: Mapping[str, Any]) -> str:
    text = ", ".join(f"{key}={value!r}" for key, value in params.items())
    return text if len(text) <= SHOWN_PARAMS else text[: SHOWN_PARAMS - 3] + "..."


def describe(result: Any, error: Mapping[str, Any] | None) -> str:
    """What a step gave, in a few words: the object and its id, a list's size, or the error.

    >>> describe({"object": "customer", "id": "cus_1"}, None)
    'customer cus_1'
    """
    if error is not None and error.get("type") == "python_exception":
        return f"raised {error.get('message')}"
    if error is not None:
        code = f" {error['code']}" if error.get("code") else ""
        status = f" ({error['http_status']})" if "http_status" in error else ""
        return f"{error.get('type')}{code}{status}: {error.get('message')}"
    if isinstance(result, Mapping):
        if result.get("object") in ("list", "search_result"):
            return f"list of {len(result.get('data', []))}, has_more={result.get('has_more')}"
        if "id" in result:
            deleted = " (deleted)" if result.get("deleted") else ""
            return f"{result.get('object')} {result['id']}{deleted}"
        if "datetime" in result:
            return f"the time is now {result['datetime']}"
    return _show(result)


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
