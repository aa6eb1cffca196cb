"""Checkout speed and correctness: orders placed per second through the HTTP API against
pgbench running the same stock/order SQL straight on PostgreSQL (the ceiling), and the oversell
race repeated with multi-line carts in opposite line order.

    .venv/bin/python bench/checkout.py [--shoppers 8] [--workers N] [--threads 1]
                                       [--duration 5] [--orders 10] [--rounds 2]
                                       [--races 100] [--long] [--keep]

One gunicorn (config/gunicorn.py: its default sync workers, access log off, no recycling during the
run) on a loopback port serves one store, `bench`: UK flat-rate shipping, 20 % VAT, the manual
payment method (bank transfer: no card work), one product per shopper and one hot product,
each with 1,000,000 units. N shopper threads speak the API with keep-alive connections:

  journey    per order: POST /api/v1/carts/, POST .../lines/, POST /api/v1/checkouts/,
             PATCH (email + address), PATCH (the first shipping method offered + payment),
             POST .../complete/ with an Idempotency-Key; for --duration seconds
  placement  --orders ready checkouts per shopper (copies of one made through the services,
             written in bulk, not timed), then all shoppers complete theirs at once: orders
             per second of the completions alone, the work pgbench does
  pgbench    the same shoppers' count of clients running, per transaction, the statements
             order placement runs for one line, in the same order: the Order INSERT, the
             conditional reservation UPDATE (... WHERE on_hand >= reserved + 1), the ledger
             and reservation INSERTs, the OrderLine INSERT

each on distinct products (shopper i buys product i; pgbench client i row i) and on the hot
product (everyone the same row), in interleaved rounds (the order rotates every round); the
median round is reported, with the ratios against pgbench of the same round. Goal: hot-product
placement at least 40% of the pgbench ceiling.

The race (--races times, 1,000 with --long): a variant gets --race-units units, then
--race-shoppers checkouts holding it and a plentiful second variant (half of the carts list
them the other way round) complete at the same moment through the server. Every round must
give exactly --race-units orders (201) and a clean 409 to the others (nothing else: a deadlock
would be a 500), leave the ledger equal to the stock (apps.inventory.selectors.ledger_check)
and no stock row below zero. The race's checkouts are copies too (of two made through the services,
one per line order).

It runs on a database of its own, `bench_checkout` (dropped and created afresh; override with
BENCH_DATABASE_URL; it refuses `pycommerce`, `postgres` and any test database), Redis db 11
(BENCH_REDIS_URL) as cache and Celery broker (the confirmation emails are queued as in
production; no worker runs; the queue and the bench's cache keys are deleted at the end). The
database is dropped at the end unless --keep is given.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402 (needs the path above)
from bench.catalog import STORE_HOST, STORE_SLUG, Server  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_checkout"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
SETTINGS = "bench.settings_checkout"
GOAL_HOT = 0.40
STOCK = 1_000_000
ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "street_address_1": "12 Analytical Row",
    "city": "London",
    "postal_code": "SW1A 1AA",
    "country_code": "GB",
}
MODES = ("distinct", "hot")


def database_url() -> str:
    return common.database_url(script="bench/checkout.py", default=DEFAULT_DATABASE_URL)


def redis_url() -> str:
    return common.redis_url(script="bench/checkout.py", default=DEFAULT_REDIS_URL)


# --- set-up, in process ---------------------------------------------------------------------


@dataclass
class Shop:
    method_id: str
    distinct: list[int]  # variant ids, one per shopper
    hot: int
    race: int  # the race's scarce variant
    race_other: int  # the plentiful second line of every race cart
    stock_rows: dict[int, int] = field(default_factory=dict)  # variant id -> stock row id


def in_store():
    """The bench store's schema, for ORM work from this process."""
    return common.in_store(STORE_SLUG)


def store_seed(shoppers: int) -> Shop:
    """The bench store, through the services: shipping, tax, manual payments, products."""
    from apps.catalog.models import Product
    from apps.catalog.services import product_create, product_set_status
    from apps.inventory import services as inventory
    from apps.inventory.models import StockItem
    from apps.payments.services import provider_config_save
    from apps.shipping.services import shipping_method_create, shipping_zone_create
    from apps.tax.services import tax_rate_create
    from tenants import services

    services.store_provision(
        name="Checkout bench",
        slug=STORE_SLUG,
        owner_email="bench@example.com",
        owner_password="bench-Password-1",
        strategy=services.ProvisionStrategy.CLONE,
    )
    with in_store():
        zone = shipping_zone_create(name="United Kingdom", countries=["GB"])
        method = shipping_method_create(
            zone=zone, name="Royal Mail", rate_type="flat", amount="4.00"
        )
        tax_rate_create(country="GB", rate="20", name="VAT")
        provider_config_save(provider_code="manual", enabled=True)

        def variant(name: str, sku: str, units: int) -> int:
            from decimal import Decimal

            product = product_create(name=name, price=Decimal("10.00"), sku=sku)
            product_set_status(product=product, status=Product.Status.PUBLISHED)
            found = product.variants.get()
            if units:
                inventory.stock_receive(variant=found, quantity=units, reason="Bench stock")
            return found.pk

        shop = Shop(
            method_id=f"table:{method.pk}",
            distinct=[variant(f"Shopper {n} item", f"ONE-{n}", STOCK) for n in range(shoppers)],
            hot=variant("Hot item", "HOT-1", STOCK),
            race=variant("Race item", "RACE-1", 0),
            race_other=variant("Race companion", "RACE-2", STOCK),
        )
        shop.stock_rows = dict(StockItem.objects.values_list("variant_id", "pk"))
    return shop


def queries_per_step(shop: Shop) -> list[tuple[str, int, int, float]]:
    """Journeys in process (django.test.Client): (step, SQL queries, status, median ms of
    five warm journeys) each."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=STORE_HOST)
    steps: list[tuple[str, int, int]] = []
    times: dict[str, list[float]] = {}

    def call(name: str, method: str, path: str, body: dict | None = None, **headers):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(
                path, json.dumps(body or {}), content_type="application/json", **headers
            )
        times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        steps.append((name, len(queries), response.status_code))
        return response.json()

    client.get("/bench/ping/")  # the routing map, once
    for journey in range(6):  # the first one warms up; its times are dropped
        if journey == 1:
            times.clear()
        steps.clear()
        cart = call("create cart", "post", "/api/v1/carts/")["token"]
        call(
            "add line",
            "post",
            f"/api/v1/carts/{cart}/lines/",
            {"variant_id": shop.distinct[0], "quantity": 1},
        )
        checkout = call("create checkout", "post", "/api/v1/checkouts/", {"cart": cart})["token"]
        url = f"/api/v1/checkouts/{checkout}/"
        offered = call(
            "PATCH email + address",
            "patch",
            url,
            {"email": "bench@example.com", "shipping_address": ADDRESS},
        )
        call(
            "PATCH shipping + payment",
            "patch",
            url,
            {"shipping_method": offered["shipping_methods"][0]["id"], "payment_method": "manual"},
        )
        call("complete", "post", f"{url}complete/", {}, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    connection.set_schema_to_public()
    return [(name, count, status, statistics.median(times[name])) for name, count, status in steps]


class ThreadedServer(Server):
    """bench/catalog.py's gunicorn with `threads` per worker (1: sync workers, the production
    default of config/gunicorn.py; more: gthread workers)."""

    def __init__(self, env: dict[str, str], workers: int, threads: int):
        super().__init__(env, workers)
        self.env["GUNICORN_THREADS"] = str(threads)


# --- the HTTP shoppers -----------------------------------------------------------------------


class ApiError(Exception):
    pass


class Api:
    """One shopper's keep-alive connection to the server, JSON in and out."""

    def __init__(self, port: int):
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def call(self, method: str, path: str, body: dict | None = None, **headers) -> tuple:
        payload = json.dumps(body).encode() if body is not None else None
        all_headers = {"Host": STORE_HOST, "Content-Type": "application/json", **headers}
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request(method, path, body=payload, headers=all_headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
                continue  # the server closed an idle keep-alive connection: once more
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            return response.status, (json.loads(data) if data else None)
        raise AssertionError("unreachable")

    def expect(self, status: int, method: str, path: str, body: dict | None = None) -> dict:
        got, data = self.call(method, path, body)
        if got != status:
            raise ApiError(f"{method} {path}: {got} {data}")
        return data

    def checkout_ready(self, variant_id: int) -> tuple[str, str]:
        """A cart with one unit of the variant and its checkout with every step given, as a
        storefront client does it: (checkout token, total)."""
        cart = self.expect(201, "POST", "/api/v1/carts/", {})["token"]
        self.expect(
            201, "POST", f"/api/v1/carts/{cart}/lines/", {"variant_id": variant_id, "quantity": 1}
        )
        checkout = self.expect(201, "POST", "/api/v1/checkouts/", {"cart": cart})["token"]
        url = f"/api/v1/checkouts/{checkout}/"
        offered = self.expect(
            200, "PATCH", url, {"email": "bench@example.com", "shipping_address": ADDRESS}
        )
        ready = self.expect(
            200,
            "PATCH",
            url,
            {"shipping_method": offered["shipping_methods"][0]["id"], "payment_method": "manual"},
        )
        return checkout, ready["total"]

    def complete(self, checkout: str, total: str | None = None) -> tuple[int, dict]:
        body = {"expected_total": total} if total else {}
        return self.call(
            "POST",
            f"/api/v1/checkouts/{checkout}/complete/",
            body,
            **{"Idempotency-Key": str(uuid.uuid4())},
        )


def in_threads(count: int, work) -> list:
    """work(n, barrier) in `count` threads; their results (any exception re-raised)."""
    barrier = threading.Barrier(count, timeout=120)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            results[n] = work(n, barrier)
        except BaseException as exc:  # handed to the caller
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def journeys(port: int, variants: list[int], *, duration: float) -> tuple[float, Counter]:
    """Shoppers doing whole journeys for `duration` s: (orders placed per second, answers)."""
    answers: Counter = Counter()
    lock = threading.Lock()

    def work(n: int, barrier: threading.Barrier) -> int:
        api = Api(port)
        api.call("GET", "/bench/ping/")
        barrier.wait()
        deadline = time.monotonic() + duration
        placed = 0
        while time.monotonic() < deadline:
            checkout, total = api.checkout_ready(variants[n])
            status, _ = api.complete(checkout, total)
            with lock:
                answers[status] += 1
            placed += status == 201
        return placed

    started = time.monotonic()
    placed = sum(in_threads(len(variants), work))
    return placed / (time.monotonic() - started), answers


def placements(port: int, tokens: list[list[str]]) -> tuple[float, Counter]:
    """Shopper n completes the checkouts tokens[n], all shoppers at once: (orders placed per
    second over the completions, answers)."""
    answers: Counter = Counter()
    lock = threading.Lock()
    marks: dict[str, float] = {}

    def work(n: int, barrier: threading.Barrier) -> int:
        api = Api(port)
        api.call("GET", "/bench/ping/")
        if barrier.wait() == 0:
            marks["start"] = time.monotonic()
        placed = 0
        for token in tokens[n]:
            status, _ = api.complete(token)
            with lock:
                answers[status] += 1
            placed += status == 201
        return placed

    placed = sum(in_threads(len(tokens), work))
    return placed / (time.monotonic() - marks["start"]), answers


# --- pgbench: the same SQL, straight -------------------------------------------------------


def pgbench_script() -> str:
    """The SQL of completing a one-line checkout paid by bank transfer, statement for
    statement as the server runs it (the two reads are the app's own statement texts from
    apps.checkout.selectors), on client i's own cart and stock row. Two differences, both in
    pgbench's favour: the values are fixed (no pricing), and the cart is not deleted (the same
    DELETE runs for a cart that does not exist), so each client can place order after order
    from its one cart."""
    from apps.checkout.selectors import cart_for_order_statement, checkout_find_statement

    read_checkout = checkout_find_statement().replace("%s", "'pgbench-' || :cart")
    read_cart = " ".join(cart_for_order_statement().split()).replace("%s", ":cart")
    return f"""
\\set row :first_row + (:client_id % :rows)
\\set cart :first_cart + (:client_id % :carts)
{read_checkout};
BEGIN;
{read_cart};
SELECT nextval(pg_get_serial_sequence('orders_order', 'id')) AS oid \\gset
INSERT INTO orders_order (id, number, token, idempotency_key, checkout_token, email, status,
    payment_status, currency, shipping_address, billing_address, shipping_method_id,
    shipping_method_name, shipping_rate, payment_provider, voucher_code, subtotal,
    discount_total, shipping_total, tax_total, total, prices_include_tax, tax_breakdown,
    discounts, customer_note, placed_at, updated)
VALUES (:oid, :oid + 1000, md5(random()::text) || md5(random()::text), 'pgbench-' || :oid,
    'pgbench-' || :cart, 'bench@example.com', 'pending_payment', 'unpaid', 'USD', '{{}}', '{{}}',
    'table:1', 'Royal Mail', NULL, 'manual', '', 10.00, 0, 4.00, 2.80, 16.80, false, '[]', '[]',
    '', now(), now());
INSERT INTO orders_orderline (order_id, variant_id, product_name, variant_name, sku, quantity,
    unit_price, discount, tax_rate, tax, total, position)
SELECT :oid, variant_id, 'Bench item', '', 'PGBENCH', 1, 10.00, 0, 20, 2.00, 12.00, 0
    FROM inventory_stockitem WHERE id = :row;
INSERT INTO orders_orderevent (order_id, kind, message, data, actor_id, created)
VALUES (:oid, 'placed', 'Order placed by bench@example.com.',
    '{{"payment_method": "manual", "hold_until": null}}', NULL, now());
INSERT INTO payments_payment (order_id, provider, amount, currency, status, captured_amount,
    refunded_amount, provider_reference, created, updated)
VALUES (:oid, 'manual', 16.80, 'USD', 'pending', 0, 0, '', now(), now()) RETURNING id AS pid \\gset
INSERT INTO payments_paymenttransaction (payment_id, kind, amount, success, provider_reference,
    error_code, error_message, raw, actor_id, created)
VALUES (:pid, 'authorize', 16.80, true, '', '', 'Awaiting payment.', '{{}}', NULL, now());
INSERT INTO orders_orderevent (order_id, kind, message, data, actor_id, created)
VALUES (:oid, 'payment_pending', 'Awaiting payment by Bank transfer.', '{{}}', NULL, now());
WITH lines AS (DELETE FROM cart_cartline WHERE cart_id = -:cart),
    checkouts AS (DELETE FROM checkout_checkout WHERE cart_id = -:cart)
DELETE FROM cart_cart WHERE id = -:cart;
UPDATE inventory_stockitem SET reserved = reserved + 1
    WHERE id = :row AND (on_hand >= reserved + 1 OR allow_backorders OR NOT track_inventory);
INSERT INTO inventory_stockmovement (stock_item_id, variant_id, sku, location_id, kind,
    on_hand_delta, reserved_delta, reason, actor_id, actor_label, reference_type, reference_id,
    created)
SELECT id, variant_id, 'PGBENCH', location_id, 'reserved', 0, 1, 'Reserved', NULL, '', 'order',
    :oid::text, now() FROM inventory_stockitem WHERE id = :row;
INSERT INTO inventory_reservation (stock_item_id, quantity, reference, state, expires_at,
    created, settled_at)
VALUES (:row, 1, 'order:' || :oid, 'active', NULL, now(), NULL);
END;
"""


def pgbench_carts(models: list["Model"], count: int) -> list[int]:
    """In the store: `count` carts for pgbench's clients (copies of `models`, cart i of model
    i), their checkouts' tokens "pgbench-<cart id>"; the carts' ids, consecutive."""
    from apps.checkout.models import Checkout

    copies_make(models, count)
    carts = list(Checkout.objects.order_by("-cart_id").values_list("cart_id", flat=True)[:count])[
        ::-1
    ]
    if carts != list(range(carts[0], carts[0] + count)):
        raise RuntimeError("pgbench's carts are not consecutive")
    for cart_id in carts:
        Checkout.objects.filter(cart_id=cart_id).update(token=f"pgbench-{cart_id}")
    return carts


def pgbench(
    url: str, *, script: Path, clients: int, rows: list[int], carts: list[int], duration: float
) -> float:
    """Transactions per second of pgbench_script() with `clients` clients on `rows` and
    `carts` (client i takes row i mod len(rows) and cart i mod len(carts); consecutive ids)."""
    parts = urlsplit(url)
    env = {
        **os.environ,
        "PGOPTIONS": f"-c search_path=store_{STORE_SLUG.replace('-', '_')},public",
        "PGPASSWORD": parts.password or "",
    }
    command = [
        "pgbench",
        "-n",
        "-f",
        str(script),
        "-c",
        str(clients),
        "-j",
        str(min(clients, os.cpu_count() or 1)),
        "-T",
        str(max(1, round(duration))),
        "-D",
        f"first_row={rows[0]}",
        "-D",
        f"rows={len(rows)}",
        "-D",
        f"first_cart={carts[0]}",
        "-D",
        f"carts={len(carts)}",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        parts.path.lstrip("/"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    out = result.stdout + result.stderr
    rate = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    if result.returncode != 0 or rate is None or (failed and int(failed.group(1))):
        raise RuntimeError(f"pgbench failed:\n{out}")
    return float(rate.group(1))


# --- ready checkouts in bulk ----------------------------------------------------------------


@dataclass
class Model:
    """A checkout made through the services, whose copies the timed phases complete."""

    checkout: object
    lines: list


def model_make(shop: Shop, lines: list[tuple[int, int]]) -> Model:
    """In the store: a cart with `lines` and its checkout with every step given."""
    from apps.cart import services as carts
    from apps.checkout import services as checkouts

    cart = carts.cart_create()
    for variant_id, quantity in lines:
        carts.cart_line_add(cart=cart, variant_id=variant_id, quantity=quantity)
    checkout = checkouts.checkout_update(
        checkout=checkouts.checkout_for_cart(cart=cart),
        currency="USD",
        email="bench@example.com",
        shipping_address=ADDRESS,
        shipping_method_id=shop.method_id,
        payment_method="manual",
    )
    return Model(checkout=checkout, lines=list(cart.lines.order_by("id")))


def copies_make(models: list[Model], count: int) -> list[str]:
    """In the store: `count` ready checkouts, the i-th a copy of models[i % len(models)],
    written in bulk (three INSERTs); their tokens. Readying each through the API would cost
    more than completing it, and it is not what is measured."""
    from apps.cart.models import Cart, CartLine
    from apps.checkout.models import Checkout

    carts = Cart.objects.bulk_create([Cart() for _ in range(count)])
    lines, checkouts = [], []
    for n, cart in enumerate(carts):
        model = models[n % len(models)]
        lines += [
            CartLine(
                cart=cart,
                variant_id=line.variant_id,
                quantity=line.quantity,
                product_name=line.product_name,
                sku=line.sku,
            )
            for line in model.lines  # in the model's order: line ids keep it
        ]
        checkouts.append(
            Checkout(
                cart=cart,
                email=model.checkout.email,
                shipping_address=model.checkout.shipping_address,
                shipping_method_id=model.checkout.shipping_method_id,
                payment_provider=model.checkout.payment_provider,
            )
        )
    CartLine.objects.bulk_create(lines)
    return [checkout.token for checkout in Checkout.objects.bulk_create(checkouts)]


# --- the race ------------------------------------------------------------------------------


class Race:
    """The oversell race through the server, round after round (see the module docstring)."""

    def __init__(self, shop: Shop, *, port: int, units: int, shoppers: int):
        self.shop, self.port, self.units, self.shoppers = shop, port, units, shoppers
        self.models: list[Model] = []

    def prepare(self) -> None:
        """The two model checkouts (one per line order), made through the services while
        the race variant has a unit; they are only copied, never completed."""
        from apps.inventory import services as inventory

        with in_store():
            inventory.stock_receive(variant=self.shop.race, quantity=1, reason="Race models")
            race, other = self.shop.race, self.shop.race_other
            self.models = [
                model_make(self.shop, [(race, 1), (other, 1)]),
                model_make(self.shop, [(other, 1), (race, 1)]),
            ]
            inventory.stock_adjust(variant=race, quantity=0, reason="Race models made")

    def round(self) -> list[str]:
        """One race; the problems found (none when it went right)."""
        from apps.inventory import services as inventory
        from apps.inventory.models import StockItem
        from apps.inventory.selectors import ledger_check
        from apps.orders.models import Order

        with in_store():
            inventory.stock_receive(variant=self.shop.race, quantity=self.units, reason="Race")
            tokens = copies_make(self.models, self.shoppers)

        def work(n: int, barrier: threading.Barrier) -> int:
            api = Api(self.port)
            api.call("GET", "/bench/ping/")
            barrier.wait()
            status, body = api.complete(tokens[n])
            if status not in (201, 409):
                raise ApiError(f"complete: {status} {body}")
            if status == 409 and body["errors"][0]["code"] not in (
                "out_of_stock",
                "lines_unavailable",
            ):
                raise ApiError(f"complete: 409 {body}")
            return status

        problems = []
        try:
            answers = Counter(in_threads(self.shoppers, work))
        except ApiError as error:
            return [str(error)]
        if answers[201] != self.units:
            problems.append(f"{answers[201]} orders placed for {self.units} units ({answers})")
        with in_store():
            placed = Order.objects.filter(checkout_token__in=tokens).count()
            if placed != self.units:
                problems.append(f"{placed} orders in the database for {self.units} units")
            rows = [self.shop.race, self.shop.race_other]
            if ledger_check(variant_ids=rows):
                problems.append(f"ledger differs from stock: {ledger_check(variant_ids=rows)}")
            free = StockItem.objects.filter(variant_id=self.shop.race).values_list(
                "on_hand", "reserved"
            )
            if any(on_hand < 0 or on_hand - reserved != 0 for on_hand, reserved in free):
                problems.append(f"race stock after the round: {list(free)}")
        return problems


# --- the run --------------------------------------------------------------------------------


@dataclass
class Measure:
    journey: list[float] = field(default_factory=list)
    placement: list[float] = field(default_factory=list)
    pgbench: list[float] = field(default_factory=list)


def _ratio(values: list[float], ceilings: list[float]) -> float:
    return statistics.median(v / c for v, c in zip(values, ceilings, strict=True))


def report(measures: dict[str, Measure], *, args, steps, race: dict) -> bool:
    print()
    print(
        f"Checkout through the API: {args.shoppers} shoppers, gunicorn {args.workers} "
        f"worker(s) x {args.threads} thread(s), {args.rounds} round(s) (medians), "
        f"journeys for {args.duration:g} s, placements of {args.orders} orders per shopper, "
        f"pgbench {args.shoppers} clients for {args.duration:g} s; {os.cpu_count()} CPUs"
    )
    print()
    print("| step (in process, warm) | SQL queries | status | ms (median of 5) |")
    print("| --- | ---: | ---: | ---: |")
    for name, count, status, ms in steps:
        print(f"| {name} | {count} | {status} | {ms:.1f} |")
    print(f"| whole journey | {sum(s[1] for s in steps)} | | {sum(s[3] for s in steps):.1f} |")
    print()
    print(
        "| products | journey orders/s | placement orders/s | pgbench tps (ceiling) "
        "| placement ÷ ceiling | journey ÷ ceiling | goal |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    met = True
    for mode in MODES:
        measure = measures[mode]
        placement = _ratio(measure.placement, measure.pgbench)
        journey = _ratio(measure.journey, measure.pgbench)
        verdict = ""
        if mode == "hot":
            met = placement >= GOAL_HOT
            verdict = f"≥ {GOAL_HOT:.0%}: {'met' if met else 'NOT MET'}"
        print(
            f"| {mode} | {statistics.median(measure.journey):,.1f} "
            f"| {statistics.median(measure.placement):,.1f} "
            f"| {statistics.median(measure.pgbench):,.0f} | {placement:.1%} | {journey:.1%} "
            f"| {verdict} |"
        )
    print()
    for mode in MODES:
        measure = measures[mode]
        rounds = ", ".join(
            f"{p:.0f}/{j:.0f}/{c:.0f}"
            for p, j, c in zip(measure.placement, measure.journey, measure.pgbench, strict=True)
        )
        print(f"{mode:<8} placement/journey/pgbench by round: {rounds}")
    print()
    print(
        f"Oversell race: {race['rounds']} rounds of {race['shoppers']} checkouts (multi-line, "
        f"half in opposite line order) for {race['units']} units through the server, "
        f"{race['seconds']:.1f} s: {race['clean']} clean, {len(race['problems'])} with problems"
    )
    for problem in race["problems"][:10]:
        print(f"PROBLEM: {problem}")
    print(f"Ledger of the whole store at the end: {race['ledger']}")
    return met and not race["problems"] and race["ledger"] == "balanced"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shoppers", type=int, default=8, help="concurrent shoppers")
    parser.add_argument(
        "--workers",
        type=int,
        default=min(2 * (os.cpu_count() or 1) + 1, 8),
        help="gunicorn workers (default: config/gunicorn.py's, 2 x CPUs + 1, at most 8)",
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (default 1: sync workers)"
    )
    parser.add_argument("--duration", type=float, default=5.0, help="s per journey/pgbench run")
    parser.add_argument("--orders", type=int, default=30, help="placements per shopper")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--races", type=int, default=100, help="oversell race rounds")
    parser.add_argument("--long", action="store_true", help="1,000 race rounds")
    parser.add_argument("--race-units", type=int, default=4)
    parser.add_argument("--race-shoppers", type=int, default=12)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    if args.long:
        args.races = max(args.races, 1000)
    if min(args.shoppers, args.rounds, args.orders, args.race_units) < 1:
        parser.error("--shoppers, --rounds, --orders and --race-units must be ≥ 1")
    if args.race_shoppers <= args.race_units:
        parser.error("--race-shoppers must be more than --race-units (someone must miss out)")
    if not shutil.which("pgbench"):
        sys.exit("bench/checkout.py needs pgbench (Debian: apt-get install postgresql-contrib).")

    url = database_url()
    env = common.environment(
        settings=SETTINGS, database=url, redis=redis_url(), media_prefix="bench-checkout-media-"
    )
    media = env["MEDIA_ROOT"]
    common.log(f"database {urlsplit(url).path.lstrip('/')}: dropping and creating it afresh")
    common.database_recreate(url)
    common.django_setup(env)
    from django.core.management import call_command
    from django.db import connection, connections

    from bench.catalog import cache_keys_delete
    from config.celery import app as celery_app

    goals_met = False
    script = Path(media) / "order.sql"
    try:
        cache_keys_delete()
        common.log("migrating the public schema and building the template (migrate_schemas) ...")
        call_command("migrate_schemas", interactive=False, verbosity=0)
        common.log(f"seeding the bench store ({args.shoppers} + 3 products) ...")
        shop = store_seed(args.shoppers)
        steps = queries_per_step(shop)
        rows = {
            "distinct": [shop.stock_rows[v] for v in shop.distinct],
            "hot": [shop.stock_rows[shop.hot]],
        }
        if rows["distinct"] != list(range(rows["distinct"][0], rows["distinct"][-1] + 1)):
            raise RuntimeError("the distinct products' stock rows are not consecutive")
        variants = {"distinct": shop.distinct, "hot": [shop.hot] * args.shoppers}
        with in_store():
            models = {
                mode: [model_make(shop, [(variant, 1)]) for variant in dict.fromkeys(ids)]
                for mode, ids in variants.items()
            }
            # pgbench client i completes cart i (its product's, or the hot one) again and again
            pgbench_cart_ids = {mode: pgbench_carts(models[mode], args.shoppers) for mode in MODES}
            script.write_text(pgbench_script())
        connection.set_schema_to_public()
        connections.close_all()

        measures = {mode: Measure() for mode in MODES}
        race_result: dict = {}
        with ThreadedServer(env, args.workers, args.threads) as server:
            common.log(
                f"gunicorn on port {server.port}: {args.workers} worker(s) x {args.threads} "
                "thread(s); warming up ..."
            )
            journeys(server.port, shop.distinct, duration=1.5)
            for round_no in range(args.rounds):
                shift = round_no % len(MODES)
                for mode in MODES[shift:] + MODES[:shift]:
                    measure = measures[mode]
                    rate, answers = journeys(server.port, variants[mode], duration=args.duration)
                    measure.journey.append(rate)
                    with in_store():
                        tokens = copies_make(models[mode], args.shoppers * args.orders)
                    # shopper n: copies n, n + shoppers, ...: of model n (distinct) or the hot one
                    shares = [tokens[n :: args.shoppers] for n in range(args.shoppers)]
                    placed, answers_p = placements(server.port, shares)
                    measure.placement.append(placed)
                    tps = pgbench(
                        url,
                        script=script,
                        clients=args.shoppers,
                        rows=rows[mode],
                        carts=pgbench_cart_ids[mode],
                        duration=args.duration,
                    )
                    measure.pgbench.append(tps)
                    bad = {s: n for s, n in (answers + answers_p).items() if s != 201}
                    common.log(
                        f"round {round_no + 1} {mode:<8}: journey {rate:7.1f} orders/s, "
                        f"placement {placed:7.1f} orders/s, pgbench {tps:8.0f} tps"
                        + (f"  NOT PLACED: {bad}" if bad else "")
                    )
                    if bad:
                        raise RuntimeError(f"orders were refused during the {mode} run: {bad}")

            race = Race(shop, port=server.port, units=args.race_units, shoppers=args.race_shoppers)
            race.prepare()
            common.log(
                f"oversell race: {args.races} rounds of {args.race_shoppers} checkouts for "
                f"{args.race_units} units ..."
            )
            problems: list[str] = []
            started = time.monotonic()
            step = max(1, args.races // 10)
            clean = 0
            for number in range(1, args.races + 1):
                found = race.round()
                problems += [f"round {number}: {problem}" for problem in found]
                clean += not found
                if number % step == 0 or number == args.races:
                    common.log(
                        f"  {number}/{args.races} rounds, {clean} clean "
                        f"({time.monotonic() - started:.1f} s)"
                    )
            from apps.inventory.selectors import ledger_check

            with in_store():
                discrepancies = ledger_check()
            race_result = {
                "rounds": args.races,
                "shoppers": args.race_shoppers,
                "units": args.race_units,
                "seconds": time.monotonic() - started,
                "clean": clean,
                "problems": problems,
                "ledger": "balanced" if not discrepancies else f"{discrepancies[:5]}",
            }
        goals_met = report(measures, args=args, steps=steps, race=race_result)
    finally:
        connections.close_all()
        celery_app.control.purge()  # the confirmation emails no worker will send
        deleted = cache_keys_delete()
        common.log(f"purged the task queue; deleted {deleted} cache keys")
        shutil.rmtree(media, ignore_errors=True)
        if args.keep:
            common.log("kept the benchmark database (--keep)")
        else:
            common.log("dropping the benchmark database")
            common.database_recreate(url, drop_only=True)
    return 0 if goals_met else 1


if __name__ == "__main__":
    sys.exit(main())
