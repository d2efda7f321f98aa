#!/usr/bin/env python3
"""AggrePay wallet, as a merchant writes it: sign the request (Appendix 17.1: SHA-512 of the
salt and the values sorted by field name, upper case), post it as a form, and check the
response hash (17.2: SHA-512 of the salt and PHP's json_encode of the answer without `hash`).

Usage: python3 aggrepay.py [SANDBOX_URL]   (or PAYSANDBOX_URL; default http://localhost:8080)
Exits 1 on any unexpected answer. Python's standard library only.
"""
import hashlib
import json
import os
import sys
import urllib.parse
import urllib.request

SANDBOX = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PAYSANDBOX_URL", "http://localhost:8080")
BASE_URL = SANDBOX.rstrip("/") + "/aggrepay"  # the real one: https://testwallet.aggrepaypayments.com
API_KEY = "aggrepay-sandbox-api-key"
SALT = "aggrepay-sandbox-salt"


def fail(message, answer=None):
    print(f"aggrepay.py: {message}" + (f": {answer}" if answer is not None else ""), file=sys.stderr)
    sys.exit(1)


def request_hash(parameters):
    hash_data = SALT
    for key in sorted(parameters):
        value = str(parameters[key]).strip()
        if value:
            hash_data += "|" + value
    return hashlib.sha512(hash_data.encode("utf-8")).hexdigest().upper()


def php_json_encode(value):
    # json_encode's defaults: no spaces, `/` escaped, non-ASCII as \uXXXX.
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/")


def response_hash_check(answer):
    if answer.get("hash") is None:
        return True
    unsigned = {key: value for key, value in answer.items() if key != "hash"}
    calculated = hashlib.sha512((SALT + php_json_encode(unsigned)).encode("utf-8")).hexdigest().upper()
    return calculated == answer["hash"]


def post(endpoint, parameters):
    form = dict(parameters, api_key=API_KEY)
    form["hash"] = request_hash(form)
    request = urllib.request.Request(
        f"{BASE_URL}/api/v1/{endpoint}",
        data=urllib.parse.urlencode(form).encode("ascii"),
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except Exception as error:  # HTTP errors, refused connections, bad JSON
        fail(f"POST {endpoint} failed", error)


answer = post("fetchbalance", {"customer_id": "546693304"})
if answer.get("error") is not None:
    fail("fetchbalance was refused", answer)
if not response_hash_check(answer):
    fail("the response hash does not match", answer)
balance = answer["data"]["balance"]
print(f"aggrepay.py: customer 546693304 holds {balance}; response hash checked")
