"""A replay as a timeline, for notebooks: ``Transcript._repr_html_`` renders it here.

One row per step that ran: its number and line, the call, what came of it (the result's id, or
the error with its teaching hint), the events it emitted, its checks (failed ones in red, the
row tinted) and the state after it, worked out by :class:`pmsim.display.timeline.Fold`, with
what the step changed in bold.

A long replay stays small: the table shows the first :data:`SHOWN_STEPS` steps and the one
that failed, with a row saying how many it left out, and folds no further than the last step
it shows. The state after a step is shown whole while it holds at most :data:`SHOWN_STATE`
customers and payment methods; past that, only what the step changed (at most
:data:`SHOWN_CHANGED` of them) and how many others it left as they were. So the page's size
does not grow with the replay, and its cost grows with the steps folded (each costs what it
emitted), never with steps × objects.

>>> import pmsim
>>> html = transcript_html(pmsim.replay(pmsim.load_scenario("scenarios/01-happy-path.yaml")))
>>> "payment_method.attached" in html, "passed" in html
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any, Final

from pmsim.display.html import (
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
from pmsim.display.timeline import (
    CustomerSummary,
    Fold,
    PaymentMethodSummary,
    StateAfter,
    Summary,
)
from pmsim.domain.parts import card_words
from pmsim.scenarios.transcript import StepRecord, Transcript

HEADER = ("#", "line", "call", "outcome", "events", "checks", "state after")
SHOWN_STEPS: Final = 50  # the first steps shown; the failed step is shown wherever it is
SHOWN_STATE: Final = 10  # a state of at most this many objects is shown whole
SHOWN_CHANGED: Final = 10  # past that, the changed objects shown per step


def transcript_html(transcript: Transcript) -> str:
    """The transcript as a step-by-step table under a one-line verdict.

    >>> import pmsim
    >>> story = pmsim.scenarios.loads("name: x\\nsteps:\\n  - customers.create: {email: a@x.co}")
    >>> "a@x.co" in transcript_html(pmsim.replay(story))
    True
    """
    steps = transcript.steps
    shown = shown_steps(transcript)
    fold = Fold()
    rows: list[list[str]] = []
    failed: list[int] = []
    last = -1  # the index of the last step shown so far
    for index, step in enumerate(steps[: max(shown, default=-1) + 1]):
        state = fold.step(step)  # every step up to a shown one, for the state after it
        if index not in shown:
            continue
        if index > last + 1:
            rows.append(skipped(index - last - 1))
        if not step.passed:
            failed.append(len(rows))
        small = state.customer_count + state.payment_method_count <= SHOWN_STATE
        rows.append(step_row(step, state, list(fold.summaries()) if small else None))
        last = index
    if len(steps) > last + 1:
        rows.append(skipped(len(steps) - last - 1))
    return f"<div>{verdict(transcript)}" + table(rows, HEADER, marked=failed) + "</div>"


def shown_steps(transcript: Transcript) -> frozenset[int]:
    """The indexes of the steps the table shows: the first :data:`SHOWN_STEPS`, and the first
    one that failed.

    >>> import pmsim
    >>> story = pmsim.scenarios.loads("name: x\\nsteps:\\n" + "  - customers.create: {}\\n" * 60)
    >>> shown = shown_steps(pmsim.replay(story))
    >>> len(shown), max(shown)
    (50, 49)
    """
    steps = transcript.steps
    failed = next((index for index, step in enumerate(steps) if not step.passed), None)
    first = range(min(len(steps), SHOWN_STEPS))
    return frozenset(first) | ({failed} if failed is not None else set())


def skipped(count: int) -> list[str]:
    """The row standing for ``count`` steps the table leaves out.

    >>> skipped(2950)[0]
    '… 2,950 more steps'
    """
    return [esc(f"… {plural(count, 'more step')}"), *[""] * (len(HEADER) - 1)]


def plural(count: int, noun: str) -> str:
    """``count`` and ``noun``, with an s when it is not one.

    >>> plural(1, "step"), plural(1498, "other customer")
    ('1 step', '1,498 other customers')
    """
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


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


def step_row(
    step: StepRecord, state: StateAfter, whole: Sequence[Summary] | None = None
) -> list[str]:
    """One step's cells, in :data:`HEADER` order; ``whole`` is everything after the step,
    when it is small enough to show (see :func:`state_lines`).

    >>> import pmsim
    >>> story = pmsim.scenarios.loads("name: x\\nsteps:\\n  - customers.create: {}")
    >>> step = pmsim.replay(story).steps[0]
    >>> len(step_row(step, Fold().step(step))) == len(HEADER)
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
        state_lines(state, whole),
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
    if isinstance(result, Mapping) and result.get("object") in ("list", "search_result"):
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


def state_lines(state: StateAfter, whole: Sequence[Summary] | None = None) -> str:
    """The customers and payment methods after a step, the ones it changed in bold: all of
    them when ``whole`` lists them, else only the changed ones (at most
    :data:`SHOWN_CHANGED`) and a count of the others.

    >>> html = state_lines(StateAfter(2, (), (PaymentMethodSummary("pm_1"),), 1500, 1500))
    >>> html.count("<b>"), html.split("</b></div><div>")[1]
    (1, 'and 1,500 customers unchanged</div><div>and 1,499 other payment methods unchanged</div>')
    """
    if whole is not None:
        changed = state.changed
        return lines([f"<b>{summary_text(s)}</b>" if s.id in changed else summary_text(s)
                      for s in whole]) or esc(None)  # fmt: skip
    changes = state.changes
    shown = [f"<b>{summary_text(s)}</b>" for s in changes[:SHOWN_CHANGED]]
    if len(changes) > SHOWN_CHANGED:
        shown.append(esc(f"… and {len(changes) - SHOWN_CHANGED:,} more changed"))
    for count, among, noun in (
        (state.customer_count, len(state.changed_customers), "customer"),
        (state.payment_method_count, len(state.changed_payment_methods), "payment method"),
    ):
        if count > among:
            others = plural(count - among, f"other {noun}" if among else noun)
            shown.append(esc(("and " if shown else "") + others + " unchanged"))
    return lines(shown) or esc(None)


def summary_text(summary: Summary) -> str:
    """A customer or a payment method in one line.

    >>> summary_text(CustomerSummary("cus_1"))  # doctest: +ELLIPSIS
    '<code ...>cus_1</code>'
    """
    if isinstance(summary, CustomerSummary):
        return customer_text(summary)
    return pm_text(summary)


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
        text += " " + esc(card_words(pm.brand, pm.last4 or ""))
    text += " " + badge(pm.state.value)
    return text + (f" → {code(pm.customer)}" if pm.customer else "")
