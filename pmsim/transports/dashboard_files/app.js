// pmsim's dashboard: reads one API key's simulator through /_pmsim/dashboard/* about once a
// second and redraws what changed. Plain DOM, no framework, nothing fetched from anywhere but
// this server. The key comes from the page's form or from the URL's fragment (#key=sk_test_...),
// which a browser never sends to the server; it travels only in the Authorization header.
"use strict";

const POLL_MS = 1000;
let key = null;
let generation = 0; // bumped for each new key, so an answer meant for the old one is dropped
let timer = null;
let diagramShown = false;
let selected = null; // the id of the payment method whose state the picture shows
let lastView = null; // the state view last drawn
let lastText = null; // ... as text, to redraw only when it changed
const opened = new Set(); // the events and deliveries the reader opened, kept open on redraws

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
  }
  return node;
}

async function read(path) {
  const answer = await fetch(path, {
    headers: { Authorization: "Bearer " + key },
    cache: "no-store",
  });
  const body = await answer.json().catch(() => null);
  if (!answer.ok) {
    const error = new Error(body && body.error ? body.error.message : "HTTP " + answer.status);
    error.status = answer.status;
    throw error;
  }
  return body;
}

// A <details> that remembers being opened by its id, across redraws.
function foldable(id, summary, shown) {
  const node = el("details", { ontoggle: () => (node.open ? opened.add(id) : opened.delete(id)) },
    summary, el("pre", {}, JSON.stringify(shown, null, 2)));
  if (opened.has(id)) node.open = true;
  return node;
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

function pmChip(pm, isDefault) {
  const chip = el(
    "span",
    {
      class: "pm" + (pm.id === selected ? " selected" : ""),
      "data-pm": pm.id,
      "data-state": pm.state,
      title: "Show " + pm.id + " in the lifecycle",
      onclick: () => { selected = pm.id; if (lastView) draw(lastView, true); },
    },
    isDefault ? "★" : null,
    el("code", {}, pm.id),
    pm.label,
    el("span", { class: "state state-" + pm.state }, pm.state),
  );
  return chip;
}

function drawCustomers(view) {
  const box = document.getElementById("customers");
  box.replaceChildren();
  if (view.customers.length === 0) box.append(el("p", {}, "No customers yet."));
  for (const customer of view.customers) {
    const who = [customer.email, customer.name].filter(Boolean).join(" · ");
    const row = el("div", { class: "customer", "data-customer": customer.id },
      el("code", {}, customer.id), el("span", { class: "who" }, who),
      customer.deleted ? el("span", { class: "state state-detached" }, "deleted") : null);
    const methods = el("div", {});
    for (const pm of customer.payment_methods) {
      methods.append(pmChip(pm, pm.id === customer.default_payment_method));
    }
    if (customer.payment_methods.length === 0) methods.append(el("small", {}, "no payment methods"));
    row.append(methods);
    box.append(row);
  }
  const unowned = document.getElementById("unowned");
  unowned.replaceChildren();
  const groups = {};
  for (const pm of view.unowned) (groups[pm.state] = groups[pm.state] || []).push(pm);
  for (const state of ["new", "set_up", "detached", "consumed"]) {
    if (!groups[state]) continue;
    const group = el("div", { class: "group", "data-group": state }, el("b", {}, state));
    for (const pm of groups[state]) group.append(pmChip(pm, false));
    unowned.append(group);
  }
  if (view.unowned.length === 0) unowned.append(el("small", {}, "none"));
}

function allPaymentMethods(view) {
  return view.customers.flatMap((customer) => customer.payment_methods).concat(view.unowned);
}

function chooseSelected(view) {
  const known = allPaymentMethods(view);
  if (selected && known.some((pm) => pm.id === selected)) return;
  // The payment method of the newest event that names one, else the newest shown.
  for (const event of view.events) {
    const object = event.data.object;
    if (object.object === "payment_method" && known.some((pm) => pm.id === object.id)) {
      selected = object.id;
      return;
    }
  }
  selected = known.length ? known[0].id : null;
}

function drawLifecycle(view) {
  const pm = allPaymentMethods(view).find((each) => each.id === selected);
  document.getElementById("selected").textContent = pm
    ? pm.id + " is " + pm.state
    : "click a payment method to see its state";
  for (const group of document.querySelectorAll("#diagram g.state")) {
    group.classList.toggle("current", Boolean(pm) && group.dataset.state === pm.state);
  }
  const refusal = view.last_refusal;
  const box = document.getElementById("refusal");
  box.hidden = !refusal;
  if (!refusal) return;
  const error = refusal.error || {};
  document.getElementById("refusal-call").textContent =
    refusal.method + " " + refusal.path + " → " + refusal.status;
  document.getElementById("refusal-error").textContent =
    [error.type, error.code, error.decline_code, error.param && "param " + error.param]
      .filter(Boolean).join(" · ") + ": " + (error.message || "");
  document.getElementById("refusal-hint").textContent = refusal.hint || "";
}

function drawIntents(view) {
  const body = document.querySelector("#intents tbody");
  body.replaceChildren();
  const intents = view.setup_intents.concat(view.payment_intents);
  for (const intent of intents) {
    const amount = intent.amount === undefined || intent.amount === null
      ? "" : intent.amount + " " + (intent.currency || "");
    body.append(el("tr", { "data-intent": intent.id },
      el("td", {}, el("code", {}, intent.id)), el("td", {}, intent.status),
      el("td", {}, intent.customer || ""), el("td", {}, intent.payment_method || ""),
      el("td", {}, amount)));
  }
  if (intents.length === 0) body.append(el("tr", {}, el("td", { colspan: "5" }, "No intents yet.")));
}

function drawEvents(view) {
  const box = document.getElementById("events");
  box.replaceChildren();
  for (const event of view.events) {
    const summary = el("summary", {}, el("code", {}, event.type), " ", event.data.object.id || "",
      " ", el("small", {}, new Date(event.created * 1000).toISOString()));
    const node = foldable("event " + event.id, summary, event);
    node.dataset.event = event.id;
    box.append(node);
  }
  if (view.events.length === 0) box.append(el("p", {}, "No events yet."));
}

function attempts(delivery) {
  const answers = delivery.answers.map((answer) => String(answer.status ?? "no answer"));
  const count = delivery.attempts + (delivery.attempts === 1 ? " attempt" : " attempts");
  return answers.length ? count + ": " + answers.join(", ") : count;
}

function drawDeliveries(view) {
  const box = document.getElementById("deliveries");
  box.replaceChildren();
  for (const delivery of view.deliveries) {
    let payload = delivery.payload;
    try { payload = JSON.parse(payload); } catch (error) { /* shown as sent */ }
    const summary = el("summary", {}, el("code", {}, delivery.type), " → ", delivery.url, " ",
      el("span", { class: "delivery-" + delivery.status }, delivery.status),
      delivery.redelivered ? " (redelivered)" : null, " ", el("small", {}, attempts(delivery)));
    const shown = Object.assign({}, delivery, { payload: payload });
    const node = foldable("delivery " + delivery.event + " " + delivery.webhook_endpoint,
      summary, shown);
    node.dataset.delivery = delivery.event;
    box.append(node);
  }
  if (view.deliveries.length === 0) {
    box.append(el("p", {}, "No webhook endpoints have been posted to."));
  }
}

function draw(view, force) {
  const text = JSON.stringify(view);
  if (text === lastText && !force) return;
  lastView = view;
  lastText = text;
  chooseSelected(view);
  const counts = view.counts;
  document.getElementById("summary").textContent =
    "seed " + view.seed + " · " + new Date(view.time * 1000).toISOString() + " · API " +
    view.api_version + " · " + counts.customers + " customers, " + counts.payment_methods +
    " payment methods, " + counts.events + " events";
  drawCustomers(view);
  drawLifecycle(view);
  drawIntents(view);
  drawEvents(view);
  drawDeliveries(view);
}

// One read of the key's simulator; false when the key was refused (polling stops).
async function refresh(mine) {
  try {
    if (!diagramShown) {
      const picture = await read("/_pmsim/dashboard/diagram?machine=payment_method");
      if (mine !== generation) return true;
      document.getElementById("diagram").innerHTML = picture.svg; // drawn from pmsim's tables
      diagramShown = true;
    }
    const view = await read("/_pmsim/dashboard/state");
    if (mine !== generation) return true;
    setStatus("");
    draw(view, false);
  } catch (error) {
    if (mine !== generation) return true;
    if (error.status === 401 || error.status === 403) {
      setStatus(error.message);
      return false;
    }
    setStatus((error.status ? error.message : "The server does not answer") + "; trying again.");
  }
  return true;
}

// Read, then wait a second, and again: never two reads at once, none while the tab is hidden.
async function poll(mine) {
  const going = document.hidden || (await refresh(mine));
  if (going && mine === generation) timer = setTimeout(() => poll(mine), POLL_MS);
}

function start(newKey) {
  generation += 1;
  clearTimeout(timer);
  key = newKey;
  diagramShown = false;
  selected = null;
  lastView = null;
  lastText = null;
  opened.clear();
  setStatus("");
  poll(generation);
}

function fragmentKey() {
  return new URLSearchParams(location.hash.slice(1)).get("key");
}

document.getElementById("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const typed = document.getElementById("key").value.trim();
  if (typed) start(typed);
});

window.addEventListener("hashchange", () => {
  const given = fragmentKey();
  if (given && given !== key) start(given);
});

if (fragmentKey()) start(fragmentKey());
