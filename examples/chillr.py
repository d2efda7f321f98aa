#!/usr/bin/env python3
"""Chillr mass collect, as a biller writes it: create a batch, then check its status.

Usage: python3 chillr.py [SANDBOX_URL]   (or PAYSANDBOX_URL; default http://localhost:8080)
Exits 1 on any unexpected answer. Python's standard library only.
"""
import datetime
import json
import os
import sys
import urllib.request

SANDBOX = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PAYSANDBOX_URL", "http://localhost:8080")
BASE_URL = SANDBOX.rstrip("/") + "/chillr"  # the real one: https://onlineapi.chillr.in
API_KEY = "5695d71a6368690df2030000"
API_SECRET_KEY = "f333884a36ccfc54787e6d96eac5e3d3"


def fail(message, answer=None):
    print(f"chillr.py: {message}" + (f": {answer}" if answer is not None else ""), file=sys.stderr)
    sys.exit(1)


def post(path, payload):
    request = urllib.request.Request(
        BASE_URL + path,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except Exception as error:  # HTTP errors, refused connections, bad JSON
        fail(f"POST {path} failed", error)


expiry = (datetime.date.today() + datetime.timedelta(days=7)).strftime("%d-%m-%Y")
created = post("/api/v5/collect", {
    "api_key": API_KEY,
    "api_secret_key": API_SECRET_KEY,
    "name": "Electricity bill",
    "expiry_date": expiry,
    "customers": [
        {"msisdn": "9447741462", "amount": "200"},  # a Chillr user
        {"msisdn": "9633789451", "amount": "600"},  # not one: no transaction
    ],
})
if created.get("status_code") != 0:
    fail("the batch was not created", created)
batch_id = created["data"]["batch_id"]
if created["data"].get("non_chillr_customers") != ["9633789451"]:
    fail("unexpected non-Chillr customers", created)

status = post("/api/v5/check_collect_status", {
    "api_key": API_KEY,
    "api_secret_key": API_SECRET_KEY,
    "batch_id": batch_id,
})
if status.get("status_code") != 0 or status["data"]["batch_id"] != batch_id:
    fail("the status check failed", status)
customer = status["data"]["customers"][0]
if customer.get("msisdn") != "9447741462" or customer.get("payment_status") != "pending":
    fail("the Chillr user's request is not pending", status)
print(f"chillr.py: batch {batch_id} created; 9447741462 is {customer['payment_status']}")
