"""A replay as a timeline, for notebooks: ``Transcript._repr_html_`` renders it here.

One row per step that ran: its number and line, the call, what came of it (the result's id, or
the error with its teaching hint), the events it emitted, its checks (failed ones in red, the
row tinted) and the state after it, worked out by :func:`pmsim.scenarios.timeline.timeline`,
with what the step changed in bold.

>>> import pmsim
>>> html = transcript_html(pmsim.replay(pmsim.load_scenario("scenarios/01-happy-path.yaml")))
>>> "payment_method.attached" in html, "passed" in html
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from pmsim.domain.html import (
    DEFAULT_MARK,
    badge,
    brief,
    code,
    coloured,
    esc,
    iso,
    lines,
    table,
)
from pmsim.scenarios.timeline import (
    CustomerSummary,
    PaymentMethodSummary,
    StateAfter,
    timeline,
)
from pmsim.scenarios.transcript import StepRecord, Transcript

HEADER = ("#", "line", "call", "outcome", "events", "checks", "state after")


def transcript_html(transcript: Transcript) -> str:
    """The transcript as a step-by-step table under a one-line verdict.

    >>> import pmsim
    >>> story = pmsim.scenarios.loads("name: x\\nsteps:\\n  - customers.create: {email: a@x.co}")
    >>> "a@x.co" in transcript_html(pmsim.replay(story))
    True
    """
    states = timeline(transcript)
    rows = [step_row(step, state) for step, state in zip(transcript.steps, states, strict=True)]
    failed = [index for index, step in enumerate(transcript.steps) if not step.passed]
    return f"<div>{verdict(transcript)}" + table(rows, HEADER, marked=failed) + "</div>"


def verdict(transcript: Transcript) -> str:
    """The heading: the scenario, its seed and start, and whether it passed.

    >>> import pmsim
    >>> story = pmsim.scenarios.loads("name: x\\nsteps:\\n  - customers.create: {}")
    >>> verdict(pmsim.replay(story))  # doctest: +ELLIPSIS
    '<div ...>Scenario x, seed 0 from 2024-01-01T00:00:00Z: <span ...>passed</span></div>'
    """
    source = PurePath(transcript.source).name if transcript.source else ""
    title = f"Scenario {transcript.name}" + (f" ({source})" if source else "")
    title += f", seed {transcript.seed} from {iso(transcript.start_time)}: "
    not_run = transcript.total_steps - len(transcript.steps)
    rest = f"; the {not_run} steps after it did not run" if not_run else ""
    failed = transcript.failed_step
    if transcript.passed:
        outcome = badge("passed")
    elif failed is not None:
        outcome = badge("failed") + esc(f" at step {failed.number}, line {failed.line}{rest}")
    else:  # every step that ran passed, but some never ran
        outcome = badge("failed") + esc(f": {not_run} steps did not run")
    return f'<div style="font-weight:600">{esc(title)}{outcome}</div>'


def step_row(step: StepRecord, state: StateAfter) -> list[str]:
    """One step's cells, in :data:`HEADER` order.

    >>> import pmsim
    >>> story = pmsim.scenarios.loads("name: x\\nsteps:\\n  - customers.create: {}")
    >>> transcript = pmsim.replay(story)
    >>> len(step_row(transcript.steps[0], timeline(transcript)[0])) == len(HEADER)
    True
    """
    call = code(step.op) + (esc(f" as {step.name}") if step.name else "")
    if step.params:
        call += lines([code(brief(step.params))])
    events = [f"{code(e['type'])} {code(e['data']['object'].get('id'))}" for e in step.events]
    return [
        esc(step.number),
        esc(step.line),
        call,
        outcome(step),
        lines(events) or esc(None),
        lines([check_line(check.kind, check.held, check.message) for check in step.checks]),
        state_lines(state),
    ]


def outcome(step: StepRecord) -> str:
    """What the call gave: the error (with its hint, when it has one) or the result's id.

    >>> import pmsim
    >>> story = pmsim.scenarios.loads("name: x\\nsteps:\\n  - clock.advance: {days: 1}")
    >>> outcome(pmsim.replay(story).steps[0])  # doctest: +ELLIPSIS
    '<code ...>{&quot;datetime&quot;: &quot;2024-01-02T00:00:00Z&quot;, ...}</code>'
    """
    if step.error is not None:
        return error_lines(step.error)
    result = step.result
    if isinstance(result, Mapping) and isinstance(result.get("id"), str):
        return code(result["id"]) + (" " + badge("deleted") if result.get("deleted") else "")
    if isinstance(result, Mapping) and result.get("object") == "list":
        return esc(f"a list of {len(result['data'])}" + (", more to come" if result["has_more"]
                                                           else ""))  # fmt: skip
    return esc(None) if result is None else code(brief(result))


def error_lines(error: Mapping[str, Any]) -> str:
    """A Stripe error (or a usage error): its kind, status and code, message and hint.

    >>> error_lines({"type": "card_error", "code": "card_declined", "http_status": 402,
    ...              "message": "Your card was declined.", "hint": "Try <4242>."})
    ... # doctest: +ELLIPSIS
    '<div><span ...>error</span> <code ...>card_error 402 card_declined</code></div>...4242&gt;...'
    """
    kind = " ".join(str(error[key]) for key in ("type", "http_status", "code") if error.get(key))
    parts = [f"{badge('error')} {code(kind)}", esc(error.get("message"))]
    if error.get("hint"):
        parts.append(f"<i>{esc('hint: ' + str(error['hint']))}</i>")
    return lines(parts)


def check_line(kind: str, held: bool, message: str) -> str:
    """One check: ✓ and its kind when it held, ✗ in red with why when it did not.

    >>> check_line("expect", False, "customer: expected 'cus_1', got None")
    '<span style="color:#d9534f">✗ expect: customer: expected &#x27;cus_1&#x27;, got None</span>'
    """
    if held:
        return coloured(f"✓ {kind}", "held")
    return coloured(f"✗ {kind}" + (f": {message}" if message else ""), "failed")


def state_lines(state: StateAfter) -> str:
    """The customers and payment methods after a step; the ones it changed in bold.

    >>> state_lines(StateAfter(1, (CustomerSummary("cus_1"),), (), frozenset({"cus_1"})))
    ... # doctest: +ELLIPSIS
    '<div><b><code ...>cus_1</code></b></div>'
    """
    items = [
        *((c.id, customer_text(c)) for c in state.customers),
        *((pm.id, pm_text(pm)) for pm in state.payment_methods),
    ]
    shown = [f"<b>{text}</b>" if key in state.changed else text for key, text in items]
    return lines(shown) or esc(None)


def customer_text(customer: CustomerSummary) -> str:
    """A customer in one line: id, email or name, ★ default, deleted.

    >>> customer_text(CustomerSummary("cus_1", email="a@x.co", default="pm_1"))
    ... # doctest: +ELLIPSIS
    '<code ...>cus_1</code> a@x.co ★ <code ...>pm_1</code>'
    """
    text = code(customer.id)
    if customer.email or customer.name:
        text += " " + esc(customer.email or customer.name)
    if customer.default:
        text += f" {DEFAULT_MARK} {code(customer.default)}"
    return text + (" " + badge("deleted") if customer.deleted else "")


def pm_text(pm: PaymentMethodSummary) -> str:
    """A payment method in one line: id, card, state and owner.

    >>> from pmsim.domain.lifecycle import PMState
    >>> pm_text(PaymentMethodSummary("pm_1", PMState.ATTACHED, "cus_1", "visa", "4242"))
    ... # doctest: +ELLIPSIS
    '<code ...>pm_1</code> visa •••• 4242 <span ...>attached</span> → <code ...>cus_1</code>'
    """
    text = code(pm.id)
    if pm.brand is not None:
        text += " " + esc(f"{pm.brand} •••• {pm.last4}")
    text += " " + badge(pm.state.value)
    return text + (f" → {code(pm.customer)}" if pm.customer else "")
