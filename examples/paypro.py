#!/usr/bin/env python3
"""PayPro ConnectPay, as a merchant writes it: create an order with the JSON in the query
(`co?oJson=...`), then ask its status (`gos`).

Usage: python3 paypro.py [SANDBOX_URL]   (or PAYSANDBOX_URL; default http://localhost:8080)
Exits 1 on any unexpected answer. Python's standard library only.
"""
import datetime
import json
import os
import random
import sys
import time
import urllib.parse
import urllib.request

SANDBOX = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PAYSANDBOX_URL", "http://localhost:8080")
BASE_URL = SANDBOX.rstrip("/") + "/paypro"  # the real one: https://{Base URL}
USERNAME = "PayProUser"
PASSWORD = "Password"


def fail(message, answer=None):
    print(f"paypro.py: {message}" + (f": {answer}" if answer is not None else ""), file=sys.stderr)
    sys.exit(1)


def get(path, query):
    url = BASE_URL + path + "?" + urllib.parse.urlencode(query)
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.load(response)
    except Exception as error:  # HTTP errors, refused connections, bad JSON
        fail(f"GET {path} failed", error)


today = datetime.date.today()
order_number = f"PY-{int(time.time())}-{random.randint(1000, 9999)}"
order = [
    {"MerchantId": USERNAME, "MerchantPassword": PASSWORD},
    {
        "OrderNumber": order_number,
        "OrderAmount": "4400",
        "OrderDueDate": (today + datetime.timedelta(days=30)).strftime("%d/%m/%Y"),
        "OrderType": "Service",
        "IssueDate": today.strftime("%d/%m/%Y"),
        "OrderExpireAfterSeconds": "0",
        "CustomerName": "Umer Aziz",
        "CustomerMobile": "",
        "CustomerEmail": "",
        "CustomerAddress": "",
    },
]
created = get("/cpay/co", {"oJson": json.dumps(order)})
if not isinstance(created, list) or created[0].get("Status") != "00":
    fail("the order was not created", created)
connectpay_id = created[1]["ConnectPayId"]
if created[1].get("OrderNumber") != order_number or not created[1].get("Click2Pay"):
    fail("unexpected order details", created)

status = get("/cpay/gos", {"userName": USERNAME, "password": PASSWORD, "cpayId": connectpay_id})
if status[0].get("Status") != "00" or status[1].get("OrderNumber") != order_number:
    fail("the status query failed", status)
if status[1].get("OrderStatus", "").upper() != "UNPAID":
    fail("a new order is not unpaid", status)
print(f"paypro.py: order {order_number} is {connectpay_id}, {status[1]['OrderStatus']}")
