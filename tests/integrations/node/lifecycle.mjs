// stripe-node, unchanged and configured only, through the payment-method lifecycle against
// `pmsim serve`. Run by tests/integrations/test_stripe_node.py with PMSIM_URL set; prints one
// line per step and exits 0 when every assertion holds.
import assert from "node:assert/strict";
import http from "node:http";
import Stripe from "stripe";

const url = new URL(process.env.PMSIM_URL ?? "http://127.0.0.1:12111");
const stripe = new Stripe(process.env.PMSIM_KEY ?? "sk_test_node_lifecycle", {
  host: url.hostname,
  port: Number(url.port),
  protocol: url.protocol.replace(":", ""),
  maxNetworkRetries: 0,
  telemetry: false,
});

const steps = [];
async function step(name, body) {
  await body();
  steps.push(name);
  console.log(`ok ${steps.length} ${name}`);
}

async function refused(call, check) {
  try {
    await call();
  } catch (err) {
    check(err);
    return;
  }
  assert.fail("the call was not refused");
}

// A webhook receiver in this process: verifies each post with constructEvent, as an app would.
const received = [];
let secret = null;
const receiver = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const payload = Buffer.concat(chunks);
    try {
      const event = stripe.webhooks.constructEvent(
        payload, request.headers["stripe-signature"], secret,
      );
      received.push(event);
      response.writeHead(200).end("{}");
    } catch (err) {
      received.push(err);
      response.writeHead(400).end(String(err.message));
    }
  });
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const hookUrl = `http://127.0.0.1:${receiver.address().port}/stripe/webhooks`;

let ada, bob, visa;
// Intents use automatic payment methods (API version 2023-08-16 on), so an on-session
// confirmation says where the customer comes back to after a redirect, as checkout pages do.
const returnUrl = "https://example.com/return";

await step("the account is the platform's own", async () => {
  const account = await stripe.accounts.retrieve();
  assert.match(account.id, /^acct_/);
  assert.equal(account.charges_enabled, true);
  const same = await stripe.accounts.retrieve(account.id);
  assert.equal(same.id, account.id);
  assert.deepEqual((await stripe.accounts.list()).data, []);
  await refused(
    () => stripe.customers.list({}, { stripeAccount: "acct_1NotConnected00000" }),
    (err) => assert.equal(err.statusCode, 403),
  );
});

await step("a webhook endpoint, its secret shown once", async () => {
  const hook = await stripe.webhookEndpoints.create({
    url: hookUrl,
    enabled_events: ["customer.created", "payment_method.attached", "payment_method.detached"],
  });
  assert.match(hook.secret, /^whsec_/);
  secret = hook.secret;
});

await step("customers are created, retrieved and updated", async () => {
  ada = await stripe.customers.create({ email: "ada@example.com", name: "Ada" });
  bob = await stripe.customers.create({ email: "bob@example.com" });
  assert.match(ada.id, /^cus_/);
  const again = await stripe.customers.retrieve(ada.id);
  assert.equal(again.email, "ada@example.com");
  const renamed = await stripe.customers.update(ada.id, { name: "Ada Lovelace", metadata: { n: "1" } });
  assert.equal(renamed.name, "Ada Lovelace");
  assert.equal(renamed.metadata.n, "1");
});

await step("an idempotent create is answered once, replayed after", async () => {
  const key = `node-${ada.id}`;
  const first = await stripe.customers.create({ name: "Once" }, { idempotencyKey: key });
  const second = await stripe.customers.create({ name: "Once" }, { idempotencyKey: key });
  assert.equal(second.id, first.id);
  assert.equal(second.lastResponse.headers["idempotent-replayed"], "true");
  await refused(
    () => stripe.customers.create({ name: "Other" }, { idempotencyKey: key }),
    (err) => assert.equal(err.type, "StripeIdempotencyError"),
  );
});

await step("a card is attached and made the default", async () => {
  visa = await stripe.paymentMethods.attach("pm_card_visa", { customer: ada.id });
  assert.equal(visa.customer, ada.id);
  assert.equal(visa.card.last4, "4242");
  const updated = await stripe.customers.update(ada.id, {
    invoice_settings: { default_payment_method: visa.id },
  });
  assert.equal(updated.invoice_settings.default_payment_method, visa.id);
  const expanded = await stripe.customers.retrieve(ada.id, {
    expand: ["invoice_settings.default_payment_method"],
  });
  assert.equal(expanded.invoice_settings.default_payment_method.id, visa.id);
});

await step("legacy card sources, expanded as dj-stripe asks for them", async () => {
  const carol = await stripe.customers.create({ source: "tok_mastercard" });
  assert.match(carol.default_source, /^card_/);
  const second = await stripe.customers.createSource(carol.id, { source: "tok_visa" });
  assert.equal(second.object, "card");
  const expanded = await stripe.customers.retrieve(carol.id, {
    expand: ["default_source", "sources"],
  });
  assert.equal(expanded.default_source.id, carol.default_source);
  assert.equal(expanded.sources.data.length, 2);
  const gone = await stripe.customers.deleteSource(carol.id, carol.default_source);
  assert.equal(gone.deleted, true);
  await refused(
    () => stripe.customers.create({ source: visa.id }),
    (err) => assert.match(err.message, /cannot use a PaymentMethod as a source/),
  );
  await stripe.customers.del(carol.id);
});

await step("a declining card cannot be attached", async () => {
  await refused(
    () => stripe.paymentMethods.attach("pm_card_visa_chargeDeclined", { customer: ada.id }),
    (err) => {
      assert.equal(err.type, "StripeCardError");
      assert.equal(err.code, "card_declined");
      assert.equal(err.statusCode, 402);
    },
  );
});

await step("another customer's card cannot be attached", async () => {
  await refused(
    () => stripe.paymentMethods.attach(visa.id, { customer: bob.id }),
    (err) => {
      assert.equal(err.type, "StripeInvalidRequestError");
      assert.match(err.message, /already been attached to a customer/);
    },
  );
});

await step("lists page with auto-pagination", async () => {
  for (const card of ["pm_card_mastercard", "pm_card_amex", "pm_card_discover"]) {
    await stripe.paymentMethods.attach(card, { customer: ada.id });
  }
  const page = await stripe.customers.listPaymentMethods(ada.id, { limit: 2 });
  assert.equal(page.data.length, 2);
  assert.equal(page.has_more, true);
  const all = await stripe.customers.listPaymentMethods(ada.id, { limit: 1 }).autoPagingToArray({ limit: 10 });
  assert.equal(all.length, 4);
  const customers = await stripe.customers.list({ limit: 1 }).autoPagingToArray({ limit: 10 });
  assert.equal(customers.length, 3);
});

await step("a detached card is dead for good and the default is cleared", async () => {
  const detached = await stripe.paymentMethods.detach(visa.id);
  assert.equal(detached.customer, null);
  const customer = await stripe.customers.retrieve(ada.id);
  assert.equal(customer.invoice_settings.default_payment_method, null);
  await refused(
    () => stripe.paymentMethods.attach(visa.id, { customer: ada.id }),
    (err) => assert.match(err.message, /may not be used again/),
  );
});

await step("a SetupIntent saves a card to its customer", async () => {
  const params = {
    customer: bob.id, payment_method: "pm_card_visa", confirm: true, usage: "off_session",
  };
  await refused(
    () => stripe.setupIntents.create(params),
    (err) => {
      assert.equal(err.type, "StripeInvalidRequestError");
      assert.match(err.raw.message, /^A `return_url` must be specified because this Setup Intent /);
    },
  );
  const intent = await stripe.setupIntents.create({ ...params, return_url: returnUrl });
  assert.equal(intent.status, "succeeded");
  assert.equal(intent.lastResponse.apiVersion, "2026-11-18.endive");  // stripe-node's own
  assert.deepEqual(intent.automatic_payment_methods, { allow_redirects: "always", enabled: true });
  const pm = await stripe.paymentMethods.retrieve(intent.payment_method);
  assert.equal(pm.customer, bob.id);
});

await step("a SetupIntent with a declining card fails and keeps the error", async () => {
  await refused(
    () => stripe.setupIntents.create({
      customer: bob.id, payment_method: "pm_card_visa_chargeDeclined", confirm: true,
      return_url: returnUrl,
    }),
    (err) => {
      assert.equal(err.type, "StripeCardError");
      assert.equal(err.raw.setup_intent.status, "requires_payment_method");
    },
  );
});

await step("a PaymentIntent pays with a saved card", async () => {
  const saved = await stripe.customers.listPaymentMethods(bob.id);
  const intent = await stripe.paymentIntents.create({
    amount: 2000, currency: "eur", customer: bob.id,
    payment_method: saved.data[0].id, confirm: true, off_session: true,  // no return_url needed
  });
  assert.equal(intent.status, "succeeded");
  assert.equal(intent.capture_method, "automatic_async");  // the default from 2024-04-10
  assert.equal(intent.amount_received, 2000);
});

await step("deleting a customer detaches its cards", async () => {
  const gone = await stripe.customers.del(bob.id);
  assert.equal(gone.deleted, true);
  await refused(
    () => stripe.customers.listPaymentMethods(bob.id),
    (err) => assert.equal(err.statusCode, 404),
  );
});

await step("customers are found by search, page by page", async () => {
  const found = await stripe.customers.search({ query: "email:'ada@example.com'" });
  assert.deepEqual(found.data.map((customer) => customer.id), [ada.id]);
  const named = await stripe.customers
    .search({ query: "-name:null", limit: 1 })
    .autoPagingToArray({ limit: 10 });
  assert.equal(named.length, 2);  // Ada Lovelace and the idempotent "Once"
});

await step("events list newest first", async () => {
  const events = await stripe.events.list({ type: "payment_method.attached", limit: 100 });
  assert.ok(events.data.length >= 5);
  assert.ok(events.data.every((event) => event.type === "payment_method.attached"));
});

await step("webhooks arrive signed and verify with constructEvent", async () => {
  const deadline = Date.now() + 10_000;
  while (received.length < 10 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const errors = received.filter((item) => item instanceof Error);
  assert.deepEqual(errors, []);
  const types = received.map((event) => event.type);
  assert.equal(types.filter((type) => type === "customer.created").length, 4);  // Carol too
  assert.ok(types.includes("payment_method.detached"));
  assert.throws(() => stripe.webhooks.constructEvent("{}", "t=1,v1=bad", secret));
});

receiver.close();
console.log(`all ${steps.length} steps passed`);
