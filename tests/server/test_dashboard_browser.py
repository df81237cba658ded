"""The dashboard in a real browser (issue 16): headless Chromium, driven by Selenium, watches a
real ``pmsim serve`` (uvicorn, in a thread) while stripe-python calls it. A customer and a card
appear; detached, the card's state changes and the picture marks it; attaching it again is
refused, and the page shows the rule and its teaching hint; a SetupIntent shows with its
status, a webhook delivery with its attempts, an event opened stays open as calls arrive; the
browser logs no error.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them) and selenium
(the dev extra). Without them the test is skipped, except in CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import stripe

from pmsim.transports.server import Server

pytestmark = pytest.mark.slow
KEY = "sk_test_dashboard_browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
#: Where the README's screenshot is written when PMSIM_UPDATE_SCREENSHOT=1.
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "images" / "dashboard.png"


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        raise RuntimeError(f"CI needs {what} for the dashboard's browser test")
    pytest.skip(f"{what} not installed", allow_module_level=True)


if CHROMIUM is None or DRIVER is None:
    _missing("chromium and chromium-driver (apt-get install chromium chromium-driver) are")
try:
    from selenium import webdriver
    from selenium.common.exceptions import (
        NoSuchElementException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    _missing("selenium (pip install -e '.[dev]') is")


@pytest.fixture
def url() -> Iterator[str]:
    server = Server("127.0.0.1", 0, seed=16, webhook_retry_delays=(0.05, 0.05))
    with server.running() as running:
        yield running.url


@pytest.fixture
def receiver() -> Iterator[str]:
    """A local webhook receiver: it answers its first post with 500, then 200."""
    posts = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            posts.append(self.path)
            self.send_response(500 if len(posts) == 1 else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/stripe/webhooks"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,900"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=str(DRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def until(browser: webdriver.Chrome, check: Callable[[], object], what: str) -> None:
    WebDriverWait(browser, 10, poll_frequency=0.1).until(lambda _: check(), message=what)


def click(browser: webdriver.Chrome, selector: str) -> bool:
    """Click ``selector``; False when the page redrew it meanwhile (for ``until`` to retry)."""
    try:
        browser.find_element(By.CSS_SELECTOR, selector).click()
    except (NoSuchElementException, StaleElementReferenceException):
        return False
    return True


def texts(browser: webdriver.Chrome, selector: str) -> list[str]:
    """The text shown by each element ``selector`` finds, read in one step in the page (the
    page redraws as deliveries settle, which would make an element found earlier stale)."""
    script = "return [...document.querySelectorAll(arguments[0])].map((node) => node.innerText)"
    return [str(text) for text in browser.execute_script(script, selector)]


def text_of(browser: webdriver.Chrome, selector: str) -> str:
    found = texts(browser, selector)
    return found[0] if found else ""


def settled(browser: webdriver.Chrome) -> bool:
    """No webhook delivery is still pending (the page stops redrawing until the next call)."""
    return not any("pending" in summary for summary in texts(browser, "#deliveries summary"))


def script(browser: webdriver.Chrome, expression: str) -> object:
    """What ``expression`` is worth in the page, read in one step."""
    return browser.execute_script(f"return {expression}")


def test_the_dashboard_follows_the_calls_and_explains_a_refusal(
    url: str, receiver: str, browser: webdriver.Chrome
) -> None:
    client = stripe.StripeClient(KEY, base_addresses={"api": url}, max_network_retries=0)
    browser.get(f"{url}/_pmsim/#key={KEY}")
    until(browser, lambda: "0 customers" in text_of(browser, "#summary"), "the page read the key")
    client.v1.webhook_endpoints.create({"url": receiver, "enabled_events": ["*"]})
    ada = client.v1.customers.create({"email": "ada@example.com", "name": "Ada Lovelace"})
    card = client.v1.payment_methods.attach("pm_card_visa", {"customer": ada.id})
    client.v1.customers.update(ada.id, {"invoice_settings": {"default_payment_method": card.id}})
    chip = f'[data-customer="{ada.id}"] [data-pm="{card.id}"]'
    until(browser, lambda: "ada@example.com" in text_of(browser, f'[data-customer="{ada.id}"]'),
          "the customer appears")  # fmt: skip
    until(browser, lambda: "attached" in text_of(browser, chip), "the card appears, attached")
    assert text_of(browser, chip).startswith("★")  # the default

    client.v1.payment_methods.detach(card.id)
    detached = f'[data-group="detached"] [data-pm="{card.id}"]'
    until(browser, lambda: "detached" in text_of(browser, detached), "the card is detached")
    until(browser, lambda: click(browser, detached), "the card can be selected")
    until(browser, lambda: text_of(browser, "#selected") == f"{card.id} is detached",
          "the picture follows the card")  # fmt: skip
    marked = '[...document.querySelectorAll("#diagram g.state.current")].map(g => g.dataset.state)'
    assert script(browser, marked) == ["detached"]

    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.payment_methods.attach(card.id, {"customer": ada.id})
    until(browser, lambda: script(browser, '!document.getElementById("refusal").hidden'),
          "the refusal is shown")  # fmt: skip
    assert text_of(browser, "#refusal-call").endswith("/attach → 400")
    assert str(refused.value.user_message) in text_of(browser, "#refusal-error")
    hint = refused.value.headers["pmsim-hint"] if refused.value.headers else ""
    until(browser, lambda: text_of(browser, "#refusal-hint") == hint, "with its hint")
    assert "detached" in text_of(browser, "#refusal-hint")
    events = texts(browser, "#events details summary")
    # newest first: detaching the default cleared it (customer.updated) after the detach
    assert [event.split()[0] for event in events[:2]] == [
        "customer.updated", "payment_method.detached",
    ]  # fmt: skip

    intent = client.v1.setup_intents.create({
        "customer": ada.id, "payment_method": "pm_card_mastercard", "confirm": True,
        "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
        "usage": "off_session",
    })  # fmt: skip
    row = f'#intents [data-intent="{intent.id}"]'
    until(browser, lambda: "succeeded" in text_of(browser, row), "the SetupIntent, succeeded")
    summaries = "#deliveries [data-delivery] summary"
    until(browser, lambda: any("customer.created" in summary and "2 attempts: 500, 200" in summary
                               and "delivered" in summary for summary in texts(browser, summaries)),
          "the customer's webhook delivery, delivered on its second attempt")  # fmt: skip
    until(browser, lambda: settled(browser), "all delivered")

    opened = script(browser, 'document.querySelector("#events details").dataset.event')
    until(browser, lambda: click(browser, f'[data-event="{opened}"] summary'), "open an event")
    until(browser, lambda: f'"id": "{opened}"' in text_of(browser, f'[data-event="{opened}"] pre'),
          "the event's JSON shows")  # fmt: skip
    second = str(intent.payment_method)
    client.v1.customers.update(ada.id, {"invoice_settings": {"default_payment_method": second}})
    until(browser, lambda: text_of(browser, f'[data-pm="{second}"]').startswith("★"),
          "the default moves to the card the SetupIntent attached")  # fmt: skip
    assert script(browser, f"document.querySelector('[data-event=\"{opened}\"]').open")  # redrawn
    until(browser, lambda: settled(browser), "all delivered")
    until(browser, lambda: click(browser, f'[data-event="{opened}"] summary'), "close it")
    if os.environ.get("PMSIM_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        viewport = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", viewport)
        browser.execute_script("window.scrollTo(0, 0)")
        until(browser, lambda: settled(browser), "all delivered")
        browser.save_screenshot(str(SCREENSHOT))

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
