#!/usr/bin/env python3
"""Jaze payment details, as an ISP's billing code writes it: HTTP Basic authentication (user
name = API Token, password = API Key), then a user's payment details (S2).

Usage: python3 jaze.py [SANDBOX_URL]   (or PAYSANDBOX_URL; default http://localhost:8080)
Exits 1 on any unexpected answer. Python's standard library only.
"""
import base64
import json
import os
import sys
import urllib.error
import urllib.request

SANDBOX = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PAYSANDBOX_URL", "http://localhost:8080")
BASE_URL = SANDBOX.rstrip("/") + "/jaze"  # the real one: the ISP dashboard URL
API_TOKEN = "jaze-sandbox-token"
API_KEY = "jaze-sandbox-key"


def fail(message, answer=None):
    print(f"jaze.py: {message}" + (f": {answer}" if answer is not None else ""), file=sys.stderr)
    sys.exit(1)


def get(path, token, key):
    credentials = base64.b64encode(f"{token}:{key}".encode("utf-8")).decode("ascii")
    request = urllib.request.Request(BASE_URL + path, headers={"Authorization": f"Basic {credentials}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:  # Jaze answers wrong credentials with HTTP 401
        return error.code, json.load(error)
    except Exception as error:  # refused connections, bad JSON
        fail(f"GET {path} failed", error)


status, details = get("/api/v1/get_payment_details/2", API_TOKEN, API_KEY)
if status != 200 or not isinstance(details, list) or details[0].get("customerNumber") != "2":
    fail("unexpected payment details", details)
payment_ids = [p["Payment"]["id"] for p in details[1]]
if 7400 not in payment_ids:
    fail("payment 7400 is missing", details)

status, refused = get("/api/v1/get_payment_details/2", API_TOKEN, "not-the-key")
if status != 401 or refused.get("errorCode") != 401:
    fail("a wrong API Key was not refused with 401", refused)
print(f"jaze.py: user 2 has payments {payment_ids}; a wrong key answers 401")
