// pmsim's dashboard: reads one API key's simulator through /_pmsim/dashboard/* and redraws
// it once a second. Plain DOM, no framework, nothing fetched from anywhere but this server.
// The key comes from the page's form or from the URL's fragment (#key=sk_test_...), which a
// browser never sends to the server; it travels only in the Authorization header.
"use strict";

const POLL_MS = 1000;
let key = null;
let selected = null; // the id of the payment method whose state the picture shows
let lastShown = null; // the state view last drawn, to redraw only when it changed
let timer = null;

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
  const body = await answer.json();
  if (!answer.ok) {
    const message = body && body.error ? body.error.message : "HTTP " + answer.status;
    throw new Error(message);
  }
  return body;
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
      onclick: () => { selected = pm.id; lastShown = null; refresh(); },
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
    [error.type, error.code, error.decline_code].filter(Boolean).join(" · ") + ": " + (error.message || "");
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
    box.append(el("details", { "data-event": event.id },
      el("summary", {}, el("code", {}, event.type), " ", event.data.object.id || "", " ",
        el("small", {}, new Date(event.created * 1000).toISOString())),
      el("pre", {}, JSON.stringify(event, null, 2))));
  }
  if (view.events.length === 0) box.append(el("p", {}, "No events yet."));
}

function drawDeliveries(view) {
  const box = document.getElementById("deliveries");
  box.replaceChildren();
  for (const delivery of view.deliveries) {
    box.append(el("details", {},
      el("summary", {}, JSON.stringify(delivery).slice(0, 120)),
      el("pre", {}, JSON.stringify(delivery, null, 2))));
  }
  if (view.deliveries.length === 0) {
    box.append(el("p", {}, "No webhook endpoints have been posted to."));
  }
}

async function refresh() {
  if (!key) return;
  let view;
  try {
    view = await read("/_pmsim/dashboard/state");
  } catch (error) {
    setStatus(error.message);
    return;
  }
  setStatus("");
  const text = JSON.stringify(view) + "|" + selected;
  if (text === lastShown) return;
  lastShown = text;
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

async function start(newKey) {
  key = newKey;
  lastShown = null;
  try {
    const picture = await read("/_pmsim/dashboard/diagram?machine=payment_method");
    const holder = document.getElementById("diagram");
    holder.innerHTML = picture.svg; // drawn by pmsim from its own tables
  } catch (error) {
    setStatus(error.message);
    return;
  }
  await refresh();
  if (timer === null) timer = setInterval(refresh, POLL_MS);
}

document.getElementById("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const typed = document.getElementById("key").value.trim();
  if (typed) start(typed);
});

const fromFragment = new URLSearchParams(location.hash.slice(1)).get("key");
if (fromFragment) start(fromFragment);
