#!/usr/bin/env python3
"""Seeds a running stack for `make loadtest` and writes the wrk script for the orders run.

    ADMIN_EMAIL=... ADMIN_PASSWORD=... prepare.py --api http://127.0.0.1:8000 --out DIR

Creates PRODUCTS products whose stock cannot run out and CUSTOMERS customers with tokens, and
writes DIR/orders.lua: each request is a 3-line order of distinct random products (quantities
1, 2, 1) by a random customer. Standard library only.
"""
import argparse
import json
import os
import urllib.request
import uuid

parser = argparse.ArgumentParser()
parser.add_argument("--api", default="http://127.0.0.1:8000")
parser.add_argument("--out", required=True)
parser.add_argument("--products", type=int, default=100)
parser.add_argument("--customers", type=int, default=16)
args = parser.parse_args()


def call(method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(args.api + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


def login(email, password):
    return call("POST", "/auth/login", {"email": email, "password": password})["access_token"]


admin = login(os.environ["ADMIN_EMAIL"], os.environ["ADMIN_PASSWORD"])
run = uuid.uuid4().hex[:6].upper()
products = [
    call("POST", "/products", {"sku": f"LOAD-{run}-{i:03d}", "name": f"Load item {run} {i:03d}",
                               "price_cents": 100 + i, "stock": 1_000_000_000}, admin)["id"]
    for i in range(args.products)
]
tokens = []
for i in range(args.customers):
    email = f"load-{run.lower()}-{i}@load.test"
    call("POST", "/auth/register", {"email": email, "password": "load-password-1"})
    tokens.append(login(email, "load-password-1"))

os.makedirs(args.out, exist_ok=True)
lua = f"""-- written by localstack/loadtest/prepare.py
local products = {{{", ".join(json.dumps(p) for p in products)}}}
local tokens = {{{", ".join(json.dumps(t) for t in tokens)}}}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(os.time() * 1000 + id)
end
local function pick3()
  local a = math.random(#products)
  local b = a
  while b == a do b = math.random(#products) end
  local c = a
  while c == a or c == b do c = math.random(#products) end
  return products[a], products[b], products[c]
end
function request()
  local a, b, c = pick3()
  local body = string.format('{{"items":[{{"product_id":"%s","quantity":1}},{{"product_id":"%s","quantity":2}},'
    .. '{{"product_id":"%s","quantity":1}}]}}', a, b, c)
  return wrk.format("POST", "/orders", {{["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]}}, body)
end
"""
with open(os.path.join(args.out, "orders.lua"), "w") as f:
    f.write(lua)
print(f"seeded {len(products)} products and {len(tokens)} customers; wrote {args.out}/orders.lua")
