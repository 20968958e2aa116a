#!/usr/bin/env python3
"""A webhook receiver on loopback, for tests: it verifies each POST's Standard Webhooks signature
with the independent `standardwebhooks` package (PyPI), deduplicates on `webhook-id` and counts,
and answers as told.

    webhook_receiver.py --port 0     prints {"listening": "http://127.0.0.1:PORT"} first

Control (JSON):
    POST /control {"secret": "whsec_...", "mode": "accept" | "fail" | "hang" | "redirect" | "down",
                   "fail_first": N, "hang_seconds": S}
        accept    2xx, after failing the first `fail_first` attempts of each webhook-id with 500
        fail      always 500 (with a 2 KB body, which the shop keeps only 1 KB of)
        hang      answer nothing for `hang_seconds`, then 200
        redirect  302 to another URL (which must not be followed)
        down      503 for everything
    GET /state    {"posts", "unique", "accepted", "accepted_twice", "bad_signatures", "by_id": {...}}
Any other POST is a delivery.
"""
import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    from standardwebhooks.webhooks import Webhook
except ImportError:  # verification is then reported as not done, never as passed
    Webhook = None

LOCK = threading.Lock()
STATE = {
    "secret": None,
    "mode": "accept",
    "fail_first": 0,
    "hang_seconds": 10,
    "posts": 0,
    "bad_signatures": 0,
    "unverified": 0,
    # webhook-id -> {"posts", "accepted", "type", "event_id", "subject"} (subject: data.id)
    "by_id": {},
}


def verify(secret, headers, body):
    if Webhook is None or not secret:
        return None
    try:
        Webhook(secret).verify(body, headers)
        return True
    except Exception:
        return False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        if self.path != "/state":
            return self.answer(404)
        with LOCK:
            by_id = STATE["by_id"]
            state = {
                "posts": STATE["posts"],
                "unique": len(by_id),
                "accepted": sum(1 for entry in by_id.values() if entry["accepted"] > 0),
                "accepted_twice": sum(1 for entry in by_id.values() if entry["accepted"] > 1),
                "bad_signatures": STATE["bad_signatures"],
                "unverified": STATE["unverified"],
                "by_id": by_id,
            }
        self.answer(200, json.dumps(state).encode(), {"Content-Type": "application/json"})

    def do_POST(self):
        body = self.read_body()
        if self.path == "/control":
            change = json.loads(body or b"{}")
            with LOCK:
                for key in ("secret", "mode", "fail_first", "hang_seconds"):
                    if key in change:
                        STATE[key] = change[key]
            return self.answer(204)
        headers = {name.lower(): value for name, value in self.headers.items()}
        webhook_id = headers.get("webhook-id", "")
        with LOCK:
            STATE["posts"] += 1
            mode, secret = STATE["mode"], STATE["secret"]
            entry = STATE["by_id"].setdefault(
                webhook_id, {"posts": 0, "accepted": 0, "type": None, "event_id": None, "subject": None}
            )
            entry["posts"] += 1
            posts_of_id = entry["posts"]
        verified = verify(secret, headers, body)
        try:
            event = json.loads(body)
        except ValueError:
            event = {}
        with LOCK:
            entry["type"], entry["event_id"] = event.get("type"), event.get("id")
            entry["subject"] = (event.get("data") or {}).get("id")
            if verified is False:
                STATE["bad_signatures"] += 1
            elif verified is None:
                STATE["unverified"] += 1
        if mode == "down":
            return self.answer(503, b"down")
        if mode == "fail":
            return self.answer(500, b"x" * 2048)
        if mode == "redirect":
            return self.answer(302, b"", {"Location": "http://127.0.0.1:9/elsewhere"})
        if mode == "hang":
            time.sleep(float(STATE["hang_seconds"]))
        elif posts_of_id <= int(STATE["fail_first"]):
            return self.answer(500, b"not yet")
        if verified is False:
            return self.answer(401, b"bad signature")
        with LOCK:
            entry["accepted"] += 1
        self.answer(200, b"ok")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    # A batch's POSTs arrive at once; the default backlog of 5 would refuse some of them.
    ThreadingHTTPServer.request_queue_size = 128
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(json.dumps({"listening": "http://127.0.0.1:%d" % server.server_address[1]}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
