"""The dashboard in a real browser (issue 16): headless Chromium, driven by Selenium, watches a
real ``pmsim serve`` (uvicorn, in a thread) while stripe-python calls it. A customer and a card
appear; detached, the card's state changes and the picture marks it; attaching it again is
refused, and the page shows the rule and its teaching hint; the browser logs no error.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them). Without them
the test is skipped, except in CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
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

if CHROMIUM is None or DRIVER is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs chromium and chromium-driver: apt-get install them")
    pytest.skip("chromium and chromium-driver are not installed", allow_module_level=True)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def url() -> Iterator[str]:
    with Server("127.0.0.1", 0, seed=16).running() as server:
        yield server.url


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


def text_of(browser: webdriver.Chrome, selector: str) -> str:
    found = browser.find_elements(By.CSS_SELECTOR, selector)
    return found[0].text if found else ""


def test_the_dashboard_follows_the_calls_and_explains_a_refusal(
    url: str, browser: webdriver.Chrome
) -> None:
    client = stripe.StripeClient(KEY, base_addresses={"api": url}, max_network_retries=0)
    browser.get(f"{url}/_pmsim/#key={KEY}")
    until(browser, lambda: "0 customers" in text_of(browser, "#summary"), "the page read the key")
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
    browser.find_element(By.CSS_SELECTOR, detached).click()
    until(browser, lambda: text_of(browser, "#selected") == f"{card.id} is detached",
          "the picture follows the card")  # fmt: skip
    current = browser.find_elements(By.CSS_SELECTOR, "#diagram g.state.current")
    assert [group.get_attribute("data-state") for group in current] == ["detached"]

    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.payment_methods.attach(card.id, {"customer": ada.id})
    until(browser, lambda: browser.find_element(By.ID, "refusal").is_displayed(),
          "the refusal is shown")  # fmt: skip
    assert str(refused.value.user_message) in text_of(browser, "#refusal-error")
    hint = refused.value.headers["pmsim-hint"] if refused.value.headers else ""
    until(browser, lambda: text_of(browser, "#refusal-hint") == hint, "with its hint")
    assert "detached" in text_of(browser, "#refusal-hint")
    events = browser.find_elements(By.CSS_SELECTOR, "#events details summary")
    # newest first: detaching the default cleared it (customer.updated) after the detach
    assert [event.text.split()[0] for event in events[:2]] == [
        "customer.updated", "payment_method.detached",
    ]  # fmt: skip
    if os.environ.get("PMSIM_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        browser.save_screenshot(str(SCREENSHOT))

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
