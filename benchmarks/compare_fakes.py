"""Which of Stripe's lifecycle rules a fake keeps: pmsim serve beside localstripe, probed
with the official client, each rule by what real Stripe answers.

    python benchmarks/compare_fakes.py                              # pmsim only
    python benchmarks/compare_fakes.py --localstripe /path/to/venv/bin/localstripe
    python benchmarks/compare_fakes.py --localstripe CMD --markdown # the table docs/why.md quotes

Each probe starts from a fresh customer (and fresh cards), makes the calls a billing system
makes, and says whether the server answered as Stripe does (``docs/fidelity.md`` and
``../shared/reference/stripe-behavior.md`` hold Stripe's answers with their sources): ``kept``,
``broken`` (it answered otherwise: the call succeeded where Stripe refuses, or the state
differs), or ``error`` (the server failed in a way Stripe never does: a 5xx, a crash, or an
endpoint it lacks). Every probe is a function of the client alone, so any server that speaks
Stripe's REST API can be probed (stripe-mock too, from its own install: ``--server URL``).

Servers are started on the loopback interface on free ports and stopped on the way out (see
``benchmarks/transport.py``, whose helpers start them); nothing else is reached.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator

import stripe
from transport import localstripe_server, pmsim_server

Probe = Callable[[stripe.StripeClient], bool]


def _refused(call: Callable[[], object], status: int = 400) -> bool:
    """Whether ``call`` is refused with a Stripe error of ``status`` (a 4xx, not a crash)."""
    try:
        call()
    except stripe.StripeError as err:
        if err.http_status is not None and err.http_status >= 500:
            raise
        return err.http_status == status
    return False


def another_customers_card(client: stripe.StripeClient) -> bool:
    ada, bob = client.v1.customers.create(), client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": ada.id})
    return _refused(lambda: client.v1.payment_methods.attach(pm.id, {"customer": bob.id}))


def detached_is_dead(client: stripe.StripeClient) -> bool:
    ada = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": ada.id})
    client.v1.payment_methods.detach(pm.id)
    return _refused(lambda: client.v1.payment_methods.attach(pm.id, {"customer": ada.id}))


def default_must_be_attached(client: stripe.StripeClient) -> bool:
    ada, bob = client.v1.customers.create(), client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": bob.id})
    return _refused(lambda: client.v1.customers.update(
        ada.id, {"invoice_settings": {"default_payment_method": pm.id}}))  # fmt: skip


def detaching_the_default_clears_it(client: stripe.StripeClient) -> bool:
    ada = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": ada.id})
    client.v1.customers.update(ada.id, {"invoice_settings": {"default_payment_method": pm.id}})
    client.v1.payment_methods.detach(pm.id)
    after = client.v1.customers.retrieve(ada.id)
    return (
        after.invoice_settings is not None and after.invoice_settings.default_payment_method is None
    )


def deleting_a_customer_detaches_its_cards(client: stripe.StripeClient) -> bool:
    ada = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": ada.id})
    client.v1.customers.delete(ada.id)
    return client.v1.payment_methods.retrieve(pm.id).customer is None


def declining_card_is_not_attached(client: stripe.StripeClient) -> bool:
    ada = client.v1.customers.create()
    return _refused(lambda: client.v1.payment_methods.attach(
        "pm_card_visa_chargeDeclined", {"customer": ada.id}), status=402)  # fmt: skip


def unknown_parameter_is_refused(client: stripe.StripeClient) -> bool:
    return _refused(lambda: client.v1.customers.create({"emial": "ada@example.com"}))  # type: ignore[arg-type]


def a_payment_uses_an_unsaved_card_up(client: stripe.StripeClient) -> bool:
    pay = {"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
    try:  # Stripe wants a way back from a bank's page since 2023-08-16
        pi = client.v1.payment_intents.create({**pay, "return_url": "https://example.com/return"})
    except stripe.InvalidRequestError:  # a fake that refuses return_url gets its chance without
        pi = client.v1.payment_intents.create(pay)  # type: ignore[arg-type]
    ada = client.v1.customers.create()
    return pi.status == "succeeded" and _refused(
        lambda: client.v1.payment_methods.attach(str(pi.payment_method), {"customer": ada.id})
    )


#: The rules probed, in the words docs/why.md uses.
PROBES: dict[str, Probe] = {
    "a card attached to one customer cannot be attached to another": another_customers_card,
    "a detached card can never be attached again": detached_is_dead,
    "a default must be attached to its customer": default_must_be_attached,
    "detaching the default clears it": detaching_the_default_clears_it,
    "deleting a customer detaches its cards": deleting_a_customer_detaches_its_cards,
    "a declining test card is not attached (402)": declining_card_is_not_attached,
    "an unknown parameter is refused": unknown_parameter_is_refused,
    "a payment without saving uses the card up": a_payment_uses_an_unsaved_card_up,
}


def run(url: str) -> dict[str, str]:
    """Each probe's verdict against the server at ``url``."""
    client = stripe.StripeClient(
        "sk_test_compare_fakes_0000000000", base_addresses={"api": url}, max_network_retries=0
    )
    verdicts = {}
    for rule, probe in PROBES.items():
        try:
            verdicts[rule] = "kept" if probe(client) else "broken"
        except stripe.StripeError as err:
            verdicts[rule] = f"error ({err.http_status})"
        except Exception as err:  # noqa: BLE001 (a fake's odd answer is a finding, not a crash)
            verdicts[rule] = f"error ({type(err).__name__})"
    return verdicts


@contextlib.contextmanager
def servers(args: argparse.Namespace) -> Iterator[dict[str, str]]:
    with contextlib.ExitStack() as stack:
        found = {"pmsim serve": stack.enter_context(pmsim_server())}
        if args.localstripe:
            found["localstripe"] = stack.enter_context(localstripe_server(args.localstripe))
        for url in args.server:
            found[url] = url
        yield found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--localstripe", metavar="CMD", help="localstripe's command")
    parser.add_argument("--server", metavar="URL", action="append", default=[],
                        help="another server already running (repeatable)")  # fmt: skip
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    with servers(args) as found:
        results = {name: run(url) for name, url in found.items()}
    names = list(results)
    if args.markdown:
        print("| Rule (Stripe's behaviour) | " + " | ".join(names) + " |")
        print("|---" * (len(names) + 1) + "|")
        for rule in PROBES:
            print(f"| {rule} | " + " | ".join(results[name][rule] for name in names) + " |")
    else:
        for rule in PROBES:
            print(f"{rule:66} " + "  ".join(f"{results[n][rule]:>12}" for n in names))
    kept = {name: sum(v == "kept" for v in verdicts.values()) for name, verdicts in results.items()}
    print("\n" + ", ".join(f"{name}: {count}/{len(PROBES)} kept" for name, count in kept.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
