#!/usr/bin/env python3
"""Write the scenario templates of SCENARIOS.md sections 2 to 5 into resources/templates/.

The files are the product (users open and share them); this script is how they were drawn,
kept so that a change to all of them is one edit. Section 1 (reactivation.scenario.json) is
drawn by hand. Nodes are laid out as *Arrange* lays them out, each template gets the notes that
explain it to a client (English, with a Russian translation). Run, in this order:
``.venv/bin/python tools/build_templates.py``, then ``tools/arrange_templates.py`` (the canvas
measures the nodes and arranges them exactly), then ``tools/template_pictures.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.layout import arrange  # noqa: E402
from engine.nodes import REGISTRY  # noqa: E402
from engine.scenario import from_dict, save  # noqa: E402

OUT = ROOT / "resources" / "templates"


def valid_email() -> list[dict]:
    return [{"kind": "field", "field": "email", "op": "is_valid_email"},
            {"kind": "field", "field": "email_subscribed", "op": "is_true"}]


def orders(agg: str, op: str, value: int, **extra) -> dict:
    return {"kind": "orders", "agg": agg, "op": op, "value": value, **extra}


def ordered_since_entry() -> list[dict]:
    return [orders("count", "ge", 1, since="entry")]


def ordered_goal() -> dict:
    """The templates' goal: a completed order since entry; whoever reaches it leaves at once."""
    return {"match": "all", "conditions": ordered_since_entry()}


def email(subject: str, body: str, **extra) -> dict:
    return {"channel": "email", "subject": subject, "body": body, **extra}


def node(node_id: str, node_type: str, title: str, /, **params) -> dict:
    return {"id": node_id, "type": node_type, "title": title, "params": params}


def _size(n: dict) -> tuple[float, float]:
    """A node's size on the canvas, estimated a little large (tools/arrange_templates.py measures it)."""
    declared = REGISTRY[n["type"]]
    ports = declared.ports(n["params"])
    longest = max((len(p) for p in ports), default=0)
    width = max(200.0, 10.0 * len(n.get("title", "")) + 70, 7.5 * (len(declared.title) + longest) + 70)
    return width, 40.0 + 23 * max(1, len(ports)) + 6


def layout(nodes: list[dict], edges: list[tuple[str, str, str]]) -> None:
    """Positions as *Arrange* gives them (:func:`engine.layout.arrange`), from estimated sizes."""
    by_id = {n["id"]: n for n in nodes}
    flow = [(s, REGISTRY[by_id[s]["type"]].ports(by_id[s]["params"]).index(p), t) for s, p, t in edges]
    placed = arrange([n["id"] for n in nodes], flow, {n["id"]: _size(n) for n in nodes}, nodes[0]["id"])
    for n in nodes:
        n["position"] = list(placed[n["id"]])


def notes_for(file: str, nodes: list[dict]) -> list[dict]:
    """The template's notes (see NOTES), placed by the nodes they are about."""
    by_id = {n["id"]: n for n in nodes}
    out = []
    for i, (kind, about, english, russian) in enumerate(NOTES.get(file, ()), start=1):
        if kind == "note":
            x, y = by_id[about]["position"]
            position, size = [x, y - NOTE_H - 44], [NOTE_W, NOTE_H]
        else:
            boxes = [(*by_id[nid]["position"], *_size(by_id[nid])) for nid in about]
            left, top = min(b[0] for b in boxes) - 36, min(b[1] for b in boxes) - 76
            right, bottom = max(b[0] + b[2] for b in boxes) + 36, max(b[1] + b[3] for b in boxes) + 36
            position, size = [left, top], [right - left, bottom - top]
        out.append({"id": f"{kind}{i}", "kind": kind, "text": english, "translations": {"ru": russian},
                    "position": position, "size": size})
    return out


def write(file: str, ident: str, name: str, description: str, nodes: list[dict],
          edges: list[tuple[str, str, str]], **settings) -> None:
    layout(nodes, edges)
    data = {"format": "scenarist.scenario", "version": 1, "id": ident, "name": name, "description": description,
            "settings": {"timezone": "Europe/Moscow", "reentry_days": None, "active_from": None,
                         "active_until": None, **settings},
            "nodes": nodes, "edges": [{"source": s, "port": p, "target": t} for s, p, t in edges],
            "notes": notes_for(file, nodes)}
    save(from_dict(data), OUT / file)


NOTE_W, NOTE_H = 260, 110
# The notes that explain each template to a client: (kind, the node it is about or the nodes a frame
# holds, English, Russian). The text is the English; "translations" carries the Russian.
NOTES: dict[str, tuple[tuple, ...]] = {
    "churn-cascade-chain.scenario.json": (
        ("note", "recent", "Four days after a purchase: every customer who may get emails.",
         "Через четыре дня после покупки — все клиенты, согласные на письма."),
        ("note", "wait10", "The goal is an order: whoever orders leaves the chain at once; the others get a "
                           "bigger offer.",
         "Цель — заказ: кто сделал заказ, сразу выходит из цепочки; остальные получают предложение щедрее."),
    ),
    "churn-cascade-parallel.scenario.json": (
        ("note", "tier", "Every day, whoever has just reached 3, 14 or 30 days without a purchase gets the offer "
                         "of that threshold.",
         "Каждый день тот, у кого только что исполнилось 3, 14 или 30 дней без покупок, получает предложение "
         "своего порога."),
        ("frame", ["code30", "mail30", "code14", "mail14", "code3", "mail3"],
         "The longer the silence, the bigger the offer", "Чем дольше молчание, тем щедрее предложение"),
    ),
    "welcome.scenario.json": (
        ("note", "ordered", "Whoever has ordered already needs no code: they leave here.",
         "Кто уже сделал заказ, тому код не нужен: он выходит здесь."),
        ("note", "wait5", "Waits up to five days for the first order; the SMS goes only if none comes.",
         "Ждёт первый заказ до пяти дней; SMS уходит, только если заказа нет."),
    ),
    "abandoned-cart.scenario.json": (
        ("note", "notyet", "Only those who have not ordered since they left the cart.",
         "Только те, кто не сделал заказ после брошенной корзины."),
        ("note", "wait1", "A day to order (an order is the goal: whoever orders leaves); otherwise a 5% code "
                          "through the messenger.",
         "Сутки на заказ (заказ — цель: кто заказал, выходит); иначе — код на 5% в мессенджер."),
    ),
    "post-purchase.scenario.json": (
        ("note", "review", "A thank-you and a review request three days after the order.",
         "Спасибо и просьба об отзыве через три дня после заказа."),
        ("note", "again", "No new order within 30 days: 300 points to come back for.",
         "Нового заказа нет 30 дней — 300 баллов, чтобы вернуться."),
    ),
    "anniversary.scenario.json": (
        ("note", "points", "500 points every year on the day of the customer's first order.",
         "500 баллов каждый год в день первого заказа клиента."),
    ),
    "segment-offers.scenario.json": (
        ("note", "segment", "Four segments by purchases and silence; each gets a message of its own.",
         "Четыре сегмента по числу покупок и молчанию; каждому — своё письмо."),
        ("frame", ["c_vip", "o_vip", "c_increased", "o_increased", "c_regular", "o_regular"],
         "By total spent: VIP, increased, regular", "По сумме покупок: VIP, повышенное, обычное"),
        ("note", "offer", "Then an offer by total spent: VIP over 50,000, increased from 3,000, regular below.",
         "Затем предложение по сумме покупок: VIP свыше 50 000, повышенное от 3 000, обычное — меньше."),
    ),
    "rf-lifecycle.scenario.json": (
        ("note", "rules", "Seven RF rules: completed orders (1, 1–2, 3+) and days since the last purchase. Each "
                          "message goes out after its rule's delay.",
         "Семь RF-правил: число выполненных заказов (1, 1–2, 3+) и дни с последней покупки. Каждое письмо "
         "уходит после задержки своего правила."),
        ("frame", ["m_new", "m_promising", "m_wandering", "m_dormant", "m_loyal", "m_at_risk", "m_lost"],
         "A message per rule", "Письмо на правило"),
    ),
}


def churn_cascade_parallel() -> None:
    """Section 2, variant 1: three thresholds checked every day; each customer gets the offer of
    the threshold they cross that day, so the offers grow as the silence does."""
    def since_last(days: int) -> list[dict]:
        return [*valid_email(), orders("days_since_last", "eq", days)]

    nodes = [
        node("start", "trigger", "Every day at 10:00", kind="schedule", at="10:00"),
        node("tier", "switch", "Days since the last purchase", branches=[
            {"port": "days30", "match": "all", "conditions": since_last(30)},
            {"port": "days14", "match": "all", "conditions": since_last(14)},
            {"port": "days3", "match": "all", "conditions": since_last(3)}]),
        node("code3", "bonus", "5% code", kind="promo_code", amount=5, prefix="AGAIN", discount="5%",
             expires_in_days=7),
        node("code14", "bonus", "10% code", kind="promo_code", amount=10, prefix="MISS", discount="10%",
             expires_in_days=10),
        node("code30", "bonus", "20% code + gift", kind="promo_code", amount=20, prefix="BACK",
             discount="20% and a gift with free delivery", expires_in_days=14),
        node("mail3", "message", "Offer: 5%", **email(
            "{{ customer.first_name }}, something new for you",
            "Thank you for your last order! Here is {{ bonus.discount }} off your next one: {{ bonus.code }}.\n",
            conversion_days=7)),
        node("mail14", "message", "Bigger offer: 10%", **email(
            "{{ customer.first_name }}, {{ bonus.discount }} off, just for you",
            "We have not seen you for two weeks. Your code {{ bonus.code }} gives {{ bonus.discount }} off "
            "until {{ bonus.expires_at.strftime('%d.%m.%Y') }}.\n", conversion_days=10)),
        node("mail30", "message", "Best offer: 20% + gift", **email(
            "{{ customer.first_name }}, our best offer",
            "A month without you is too long. {{ bonus.discount }} with the code {{ bonus.code }}.\n",
            conversion_days=14)),
    ]
    edges = [("start", "out", "tier"), ("tier", "days3", "code3"), ("tier", "days14", "code14"),
             ("tier", "days30", "code30"), ("code3", "out", "mail3"), ("code14", "out", "mail14"),
             ("code30", "out", "mail30")]
    write("churn-cascade-parallel.scenario.json", "churn-cascade-parallel", "Churn cascade: growing offers",
          "Every day at 10:00, customers who crossed 3, 14 or 30 days without a purchase get an offer that grows "
          "with the silence: 5%, 10%, then 20% with a gift and free delivery. Email permission is checked on each "
          "threshold.", nodes, edges, reentry_days=0, goal=ordered_goal())


def churn_cascade_chain() -> None:
    """Section 2, variant 2: one chain; the next offer only for those who did not buy."""
    nodes = [
        node("start", "trigger", "Every day at 10:00", kind="schedule", at="10:00"),
        node("recent", "filter", "4 days since the last purchase",
             match="all", conditions=[*valid_email(), orders("days_since_last", "eq", 4)]),
        node("mail1", "message", "Offer: 5%", **email(
            "{{ customer.first_name }}, 5% off your next order",
            "Thank you for shopping with us! Use the code AGAIN5 for 5% off this week.\n", conversion_days=7)),
        node("wait10", "wait", "Wait 10 days", days=10),
        node("mail2", "message", "Bigger offer: 10%", **email(
            "{{ customer.first_name }}, 10% off: we kept it for you",
            "Two weeks without you. The code MISS10 gives 10% off until the end of the week.\n",
            conversion_days=7)),
        node("wait16", "wait", "Wait 16 days", days=16),
        node("mail3", "message", "Best offer: 20% + free delivery", **email(
            "{{ customer.first_name }}, our best offer",
            "A month already! 20% off and free delivery with the code BACK20.\n", conversion_days=14)),
    ]
    edges = [("start", "out", "recent"), ("recent", "yes", "mail1"), ("mail1", "out", "wait10"),
             ("wait10", "out", "mail2"), ("mail2", "out", "wait16"), ("wait16", "out", "mail3")]
    write("churn-cascade-chain.scenario.json", "churn-cascade-chain", "Churn cascade: one chain",
          "Four days after a purchase: 5% off. Still nothing 10 days later (two weeks since the purchase): 10%. "
          "Still nothing at 30 days: 20% and free delivery. Whoever orders leaves the chain (the scenario's goal).",
          nodes, edges, reentry_days=30, goal=ordered_goal())


def welcome() -> None:
    """Section 3/4: welcome on subscription, onboarding, a first-order code, an SMS nudge."""
    nodes = [
        node("start", "trigger", "New customer", kind="new_customer", at="10:00"),
        node("hello", "message", "Welcome email", **email(
            "Welcome, {{ customer.first_name }}!",
            "Thank you for joining us. Here is how to choose your size, track an order and return it for free.\n")),
        node("wait2", "wait", "Wait 2 days", days=2),
        node("ordered", "filter", "Ordered already?", match="all", conditions=ordered_since_entry()),
        node("code", "bonus", "First-order code", kind="promo_code", amount=10, prefix="HELLO", discount="10%",
             expires_in_days=7),
        node("mailcode", "message", "Your first-order code", **email(
            "{{ customer.first_name }}, {{ bonus.discount }} off your first order",
            "Your personal code {{ bonus.code }} is valid until {{ bonus.expires_at.strftime('%d.%m.%Y') }}.\n",
            conversion_days=7)),
        node("wait5", "wait_event", "Wait for the first order", event="order", days=5),
        node("sms", "message", "SMS reminder", channel="sms",
             body="{{ customer.first_name }}, your code {{ bonus.code }} for {{ bonus.discount }} expires soon.",
             conversion_days=3),
    ]
    edges = [("start", "out", "hello"), ("hello", "out", "wait2"), ("wait2", "out", "ordered"),
             ("ordered", "no", "code"), ("code", "out", "mailcode"), ("mailcode", "out", "wait5"),
             ("wait5", "timeout", "sms")]
    write("welcome.scenario.json", "welcome-chain", "Welcome chain",
          "A new customer gets a welcome email with onboarding tips; without an order two days later, a "
          "first-order promo code; still nothing five days on, an SMS before the code expires.", nodes, edges)


def abandoned_cart() -> None:
    """Section 3/4: a cart left behind; email first, then a messenger with a small code."""
    nodes = [
        node("start", "trigger", "Cart abandoned", kind="event", event="cart_abandoned", at="10:00"),
        node("notyet", "filter", "Did not order since", match="all",
             conditions=[orders("count", "eq", 0, within_days=2)]),
        node("mail", "message", "You left something", **email(
            "{{ customer.first_name }}, your cart is waiting",
            "The items you picked are still in your cart. Complete your order while they are in stock.\n",
            conversion_days=3)),
        node("wait1", "wait", "Wait a day", days=1),
        node("code", "bonus", "5% code", kind="promo_code", amount=5, prefix="CART", discount="5%",
             expires_in_days=3),
        node("messenger", "message", "WhatsApp nudge", channel="webhook",
             body="{{ customer.first_name }}, your cart is still here: {{ bonus.discount }} off with "
                  "{{ bonus.code }} for 3 days.", conversion_days=3),
    ]
    edges = [("start", "out", "notyet"), ("notyet", "yes", "mail"), ("mail", "out", "wait1"),
             ("wait1", "out", "code"), ("code", "out", "messenger")]
    write("abandoned-cart.scenario.json", "abandoned-cart", "Abandoned cart",
          "Customers who left a cart (the site writes a cart_abandoned event) get an email the next morning; "
          "without an order a day later, a 5% code through the messenger gateway (WhatsApp, VK).",
          nodes, edges, reentry_days=7, goal=ordered_goal())


def post_purchase() -> None:
    """Section 3: thanks and a review request, then repeat-purchase stimulation with points."""
    nodes = [
        node("start", "trigger", "New order", kind="new_order", at="10:00"),
        node("wait3", "wait", "Wait 3 days", days=3),
        node("review", "message", "How do you like it?", **email(
            "{{ customer.first_name }}, how do you like your purchase?",
            "Thank you for your order! Tell us what you think: a review takes a minute.\n")),
        node("again", "wait_event", "Wait for the next order", event="order", days=30),
        node("points", "bonus", "300 points", kind="points", amount=300, expires_in_days=30),
        node("mailpoints", "message", "Points for the next order", **email(
            "{{ customer.first_name }}, 300 points for your next order",
            "We added {{ bonus.amount }} points to your account; they are valid until "
            "{{ bonus.expires_at.strftime('%d.%m.%Y') }}.\n", conversion_days=14)),
        node("sms", "message", "SMS: points", channel="sms",
             body="{{ customer.first_name }}, you have {{ bonus.amount }} bonus points. Use them in our shop!",
             conversion_days=14),
    ]
    edges = [("start", "out", "wait3"), ("wait3", "out", "review"), ("review", "out", "again"),
             ("again", "timeout", "points"), ("points", "out", "mailpoints"), ("mailpoints", "out", "sms")]
    write("post-purchase.scenario.json", "post-purchase", "After a purchase",
          "Three days after an order, a thank-you and a review request; no new order within 30 days, 300 bonus "
          "points by email and SMS to bring the customer back.", nodes, edges,
          reentry_days=0)


def anniversary() -> None:
    """Section 3: "anniversary with the shop", a year after the first order."""
    nodes = [
        node("start", "trigger", "Anniversary of the first order", kind="date", field="first_order", at="10:00"),
        node("subscribed", "filter", "Email allowed", match="all", conditions=valid_email()),
        node("points", "bonus", "500 points", kind="points", amount=500, expires_in_days=30),
        node("mail", "message", "Happy anniversary", **email(
            "{{ customer.first_name }}, we have been together for a year!",
            "Thank you for being with us. {{ bonus.amount }} points are yours as a gift.\n", conversion_days=14)),
    ]
    edges = [("start", "out", "subscribed"), ("subscribed", "yes", "points"), ("points", "out", "mail")]
    write("anniversary.scenario.json", "shop-anniversary", "Anniversary with the shop",
          "On the anniversary of a customer's first order: 500 bonus points and a thank-you email.",
          nodes, edges, reentry_days=300)


def segment_offers() -> None:
    """Section 4: segments by activity, then offer tiers by total spent."""
    def last(low: int, high: int | None) -> list[dict]:
        bounds = [orders("days_since_last", "ge", low)]
        return bounds + ([orders("days_since_last", "le", high)] if high is not None else [])

    def spent(op: str, value: int) -> dict:
        return orders("sum", op, value)

    nodes = [
        node("start", "trigger", "Every day at 10:00", kind="schedule", at="10:00"),
        node("reachable", "filter", "Email allowed", match="all", conditions=valid_email()),
        node("segment", "switch", "Segment", branches=[
            {"port": "churn_risk", "match": "all", "conditions": [orders("count", "gt", 7), *last(10, 30)]},
            {"port": "doubting", "match": "all", "conditions": [orders("count", "lt", 7), *last(10, 30)]},
            {"port": "sleeping", "match": "all", "conditions": [orders("count", "ge", 7), *last(31, 90)]},
            {"port": "falling_asleep", "match": "all", "conditions": [orders("count", "lt", 7), *last(31, 90)]}]),
        node("m_risk", "message", "Churn risk: we value you", **email(
            "{{ customer.first_name }}, thank you for {{ orders.count }} orders",
            "You are one of our most loyal customers. A personal offer is on its way.\n")),
        node("m_doubt", "message", "Doubting: why us", **email(
            "{{ customer.first_name }}, still choosing?", "Free returns, fast delivery and real reviews.\n")),
        node("m_sleep", "message", "Loyal, inactive: news", **email(
            "{{ customer.first_name }}, see what is new", "Our new collection arrived. Take a look.\n")),
        node("m_asleep", "message", "Falling asleep: reminder", **email(
            "{{ customer.first_name }}, we miss you", "It has been a month. Come back and see what is new.\n")),
        node("offer", "switch", "Offer by total spent", branches=[
            {"port": "vip", "match": "all", "conditions": [spent("gt", 50000)]},
            {"port": "increased", "match": "all", "conditions": [spent("ge", 3000)]}]),
        node("c_regular", "bonus", "Regular: 5%", kind="promo_code", amount=5, prefix="HI", discount="5%",
             expires_in_days=14),
        node("c_increased", "bonus", "Increased: 10%", kind="promo_code", amount=10, prefix="MORE",
             discount="10%", expires_in_days=14),
        node("c_vip", "bonus", "VIP: 20%", kind="promo_code", amount=20, prefix="VIP", discount="20%",
             expires_in_days=30),
        node("o_regular", "message", "Regular offer", **email(
            "{{ bonus.discount }} off for you", "Your code: {{ bonus.code }}.\n", conversion_days=10)),
        node("o_increased", "message", "Increased offer", **email(
            "{{ bonus.discount }} off for you", "Your code: {{ bonus.code }}.\n", conversion_days=10)),
        node("o_vip", "message", "VIP offer", **email(
            "{{ customer.first_name }}, a VIP offer", "{{ bonus.discount }} off with {{ bonus.code }}, "
            "and your personal manager will call you.\n", conversion_days=14)),
    ]
    edges = [("start", "out", "reachable"), ("reachable", "yes", "segment"),
             ("segment", "churn_risk", "m_risk"), ("segment", "doubting", "m_doubt"),
             ("segment", "sleeping", "m_sleep"), ("segment", "falling_asleep", "m_asleep"),
             ("m_risk", "out", "offer"), ("m_doubt", "out", "offer"), ("m_sleep", "out", "offer"),
             ("m_asleep", "out", "offer"),
             ("offer", "other", "c_regular"), ("offer", "increased", "c_increased"), ("offer", "vip", "c_vip"),
             ("c_regular", "out", "o_regular"), ("c_increased", "out", "o_increased"), ("c_vip", "out", "o_vip")]
    write("segment-offers.scenario.json", "segment-offers", "Segments with offers by total spent",
          "Customers are sorted into churn risk (more than 7 purchases, last 10-30 days ago), doubting (fewer than "
          "7), loyal without activity and falling asleep (no purchase for over a month); each gets a message for "
          "the segment, then an offer by total spent: under 3,000 regular, 3,000-50,000 increased, over 50,000 VIP.",
          nodes, edges, reentry_days=60)


RF_RULES = (  # name, port, completed orders (min, max), days since the last purchase, window, delay
    ("New", "new", 1, 1, 10, 7, 6),
    ("Promising", "promising", 1, 2, 25, 7, 10),
    ("Wandering", "wandering", 1, 2, 51, 12, 12),
    ("Dormant", "dormant", 1, 2, 75, 10, 15),
    ("Loyal", "loyal", 3, None, 20, 7, 14),
    ("At risk", "at_risk", 3, None, 56, 2, 10),
    ("Lost", "lost", 3, None, 113, 14, 30),
)


def rf_lifecycle() -> None:
    """Section 5: seven RF rules, each with its conversion window and action delay."""
    branches, nodes, edges = [], [], [("start", "out", "reachable"), ("reachable", "yes", "rules")]
    for name, port, low, high, days, window, delay in RF_RULES:
        count = [orders("count", "ge", low)] + ([orders("count", "le", high)] if high else [])
        branches.append({"port": port, "match": "all",
                         "conditions": [*count, orders("days_since_last", "eq", days)]})
        nodes.append(node(f"m_{port}", "message", f"{name}: +{delay} days", **email(
            f"{{{{ customer.first_name }}}}, {_rf_subject(port)}",
            "Hello, {{ customer.first_name }}! " + _rf_body(port) + "\n",
            delay_days=delay, conversion_days=window)))
        edges.append(("rules", port, f"m_{port}"))
    nodes.append(node("call_lost", "task", "Lost: a manager calls", channel="staff",
                      subject="Call {{ customer.first_name }} {{ customer.last_name }}: a lost customer",
                      body="{{ customer.first_name }} {{ customer.last_name }} ({{ customer.phone }}, "
                           "{{ customer.email }}) has {{ orders.count }} orders for {{ orders.total }}, the last on "
                           "{{ orders.last_order_at }}, and got the Lost offer (20% off, LOST20). Please call.\n"))
    edges.append(("m_lost", "out", "call_lost"))
    nodes = [node("start", "trigger", "Every day at 10:00", kind="schedule", at="10:00"),
             node("reachable", "filter", "Email allowed", match="all", conditions=valid_email()),
             node("rules", "switch", "RF rule", branches=branches), *nodes]
    write("rf-lifecycle.scenario.json", "rf-lifecycle", "RF lifecycle mailing",
          "Seven rules by the number of completed orders (1, 1-2, 3+) and the days since the last purchase: New, "
          "Promising, Wandering, Dormant, Loyal, At risk, Lost. Each message goes out after the rule's action delay "
          "and counts orders within its conversion window; whoever orders meanwhile leaves (the goal) and gets "
          "nothing more. After the Lost offer a manager gets a task to call the customer (the staff channel).",
          nodes, edges, reentry_days=1, goal=ordered_goal())


def _rf_subject(port: str) -> str:
    return {"new": "how was your first order?", "promising": "picked for you", "wandering": "new arrivals",
            "dormant": "we miss you", "loyal": "thank you for being with us", "at_risk": "a gift to come back",
            "lost": "our best offer"}[port]


def _rf_body(port: str) -> str:
    return {"new": "We hope you liked your first order. Here is what goes well with it.",
            "promising": "We picked a few things you may like.",
            "wandering": "Many new arrivals since your last visit.",
            "dormant": "It has been a while. Come and see what is new.",
            "loyal": "You are one of our best customers: early access to the new collection is yours.",
            "at_risk": "We have not seen you for a while: free delivery on your next order.",
            "lost": "Come back: 20% off anything with the code LOST20."}[port]


if __name__ == "__main__":
    for build in (churn_cascade_parallel, churn_cascade_chain, welcome, abandoned_cart, post_purchase,
                  anniversary, segment_offers, rf_lifecycle):
        build()
    print(f"templates written to {OUT}")
