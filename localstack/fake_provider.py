#!/usr/bin/env python3
"""A stand-in for OpenRouter's chat completions, for end-to-end runs and benchmarks.

Behaviour is chosen by the order itself, so tests running at the same time do not disturb each
other: a product name containing `[provider:fail]` makes the call answer 500, `[provider:hang]`
makes it hang for HANG_SECONDS, `[provider:slow]` answers after SLOW_SECONDS; anything else answers after DELAY_MS with
"Fake summary of order <order id>." (the id is read from the prompt).

GET /health answers ok; GET /stats returns the number of calls per order id.

Usage: fake_provider.py [--port 4699] [--delay-ms 200] [--hang-seconds 120] [--slow-seconds 3]
"""
import argparse
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ORDER_ID = re.compile(r"Order ([0-9a-f-]{36})")
calls = {}
calls_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    delay = 0.2
    hang = 120.0

    def log_message(self, *args):  # one JSON line per call instead, below
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self.answer(200, {"status": "ok"})
        elif self.path == "/stats":
            with calls_lock:
                self.answer(200, {"calls": dict(calls)})
        else:
            self.answer(404, {"error": "not found"})

    def do_POST(self):
        if not self.path.endswith("/chat/completions"):
            self.answer(404, {"error": {"message": "not found"}})
            return
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length) or b"{}")
        prompt = " ".join(str(m.get("content", "")) for m in request.get("messages", []))
        match = ORDER_ID.search(prompt)
        order_id = match.group(1) if match else "unknown"
        with calls_lock:
            calls[order_id] = calls.get(order_id, 0) + 1
        print(json.dumps({"component": "fake-provider", "order_id": order_id}), flush=True)
        if not self.headers.get("Authorization", "").startswith("Bearer "):
            self.answer(401, {"error": {"message": "No auth credentials found"}})
        elif "[provider:fail]" in prompt:
            self.answer(500, {"error": {"message": "fake outage"}})
        elif "[provider:hang]" in prompt:
            time.sleep(self.hang)
            self.answer(504, {"error": {"message": "fake hang"}})
        else:
            time.sleep(self.slow if "[provider:slow]" in prompt else self.delay)
            text = "Fake summary of order %s." % order_id
            self.answer(200, {"id": "fake", "choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4699)
    parser.add_argument("--delay-ms", type=float, default=200)
    parser.add_argument("--hang-seconds", type=float, default=120)
    parser.add_argument("--slow-seconds", type=float, default=3)
    args = parser.parse_args()
    Handler.delay = args.delay_ms / 1000
    Handler.hang = args.hang_seconds
    Handler.slow = args.slow_seconds
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print(json.dumps({"component": "fake-provider", "listening": "http://%s:%d" % (args.host, args.port)}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
