#!/usr/bin/env python3
"""A stand-in for OpenRouter's chat completions, for tests, end-to-end runs and benchmarks.

Behaviour is chosen by the order itself, so tests running at the same time do not disturb each
other. A marker in a product name picks it:
  [provider:fail]        500
  [provider:hang]        hangs for HANG_SECONDS, then 504
  [provider:slow]        answers as usual, after SLOW_SECONDS
  [provider:plain]       200, plain text instead of the JSON schema
  [provider:error-body]  200 whose body is an error object
  [provider:misfit]      200, JSON content that does not fit the schema (risk "extreme")
  [provider:oversize]    200 with a 2 MiB body and no Content-Length
  [provider:fallback]    answers as the second model of the request's `models` list
Anything else answers after DELAY_MS with the schema answer
{"text": "Fake summary of order <id>.", "risk": low|medium|high by the number of flags sent},
the request's model, and `usage` with COST dollars.

A restock note request (schema `restock_note`, first line "Restock note <run id> as JSON:") is
keyed by its run id and answers {"text": "Fake restock note <id>: order <first sku> first.",
"priorities": [<first sku>]}; a product name with [advice:fail] makes it answer 500 instead
(the order markers above do not apply to notes, so summaries under test do not disturb them).

GET /health answers ok; GET /stats returns the number of calls per order id;
GET /requests/<order id> returns the last request for that order (headers and body).

Usage: fake_provider.py [--port 4699] [--delay-ms 200] [--hang-seconds 120] [--slow-seconds 3]
                        [--cost 0.0001]
With --port 0 a free port is taken; the first output line names the address.
"""
import argparse
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ORDER_ID = re.compile(r"(?:Order|Restock note) ([0-9a-f-]{36})")
calls = {}
last_requests = {}
calls_lock = threading.Lock()


def flags_in(prompt):
    """The flags in the JSON document after the prompt's first line, [] when there is none."""
    _, _, document = prompt.partition("\n")
    try:
        return json.loads(document).get("flags", [])
    except (ValueError, AttributeError):
        return []


class Handler(BaseHTTPRequestHandler):
    delay = 0.2
    hang = 120.0
    slow = 3.0
    cost = 0.0001

    def log_message(self, *args):  # one JSON line per call instead, below
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def completion(self, model, content):
        return {
            "id": "fake",
            "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 300, "completion_tokens": 60, "cost": self.cost},
        }

    def restock_note(self, run_id, model, prompt):
        if "[advice:fail]" in prompt:
            self.answer(500, {"error": {"message": "fake outage"}})
            return
        time.sleep(self.delay)
        _, _, document = prompt.partition("\n")
        try:
            skus = [s["sku"] for s in json.loads(document).get("suggestions", [])]
        except (ValueError, AttributeError, KeyError, TypeError):
            skus = []
        first = skus[:1]
        text = "Fake restock note %s: order %s first." % (run_id, first[0] if first else "nothing")
        self.answer(200, self.completion(model, json.dumps({"text": text, "priorities": first})))

    def do_GET(self):
        if self.path == "/health":
            self.answer(200, {"status": "ok"})
        elif self.path == "/stats":
            with calls_lock:
                self.answer(200, {"calls": dict(calls)})
        elif self.path.startswith("/requests/"):
            with calls_lock:
                seen = last_requests.get(self.path[len("/requests/"):])
            self.answer(200 if seen else 404, seen or {"error": "no request for that order"})
        else:
            self.answer(404, {"error": "not found"})

    def do_POST(self):
        if not self.path.endswith("/chat/completions"):
            self.answer(404, {"error": {"message": "not found"}})
            return
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length) or b"{}")
        user = [str(m.get("content", "")) for m in request.get("messages", []) if m.get("role") == "user"]
        prompt = " ".join(str(m.get("content", "")) for m in request.get("messages", []))
        match = ORDER_ID.search(prompt)
        order_id = match.group(1) if match else "unknown"
        with calls_lock:
            calls[order_id] = calls.get(order_id, 0) + 1
            last_requests[order_id] = {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": request}
        print(json.dumps({"component": "fake-provider", "order_id": order_id}), flush=True)
        models = request.get("models") or [request.get("model") or "fake/model"]
        model = models[0]
        schema = ((request.get("response_format") or {}).get("json_schema") or {}).get("name")
        if not self.headers.get("Authorization", "").startswith("Bearer "):
            self.answer(401, {"error": {"message": "No auth credentials found"}})
        elif schema == "restock_note":
            self.restock_note(order_id, model, user[0] if user else "")
        elif "[provider:fail]" in prompt:
            self.answer(500, {"error": {"message": "fake outage"}})
        elif "[provider:hang]" in prompt:
            time.sleep(self.hang)
            self.answer(504, {"error": {"message": "fake hang"}})
        elif "[provider:error-body]" in prompt:
            self.answer(200, {"error": {"code": 502, "message": "fake upstream error in a 200"}})
        elif "[provider:oversize]" in prompt:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                self.wfile.write(b'{"padding": "')
                for _ in range(2048):
                    self.wfile.write(b"x" * 1024)
                self.wfile.write(b'"}')
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading, as it should
        else:
            time.sleep(self.slow if "[provider:slow]" in prompt else self.delay)
            text = "Fake summary of order %s." % order_id
            if "[provider:plain]" in prompt:
                self.answer(200, self.completion(model, text))
                return
            if "[provider:fallback]" in prompt and len(models) > 1:
                model = models[1]
            flags = flags_in(user[0] if user else "")
            risk = "extreme" if "[provider:misfit]" in prompt else ["low", "medium", "high"][min(len(flags), 2)]
            self.answer(200, self.completion(model, json.dumps({"text": text, "risk": risk})))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4699)
    parser.add_argument("--delay-ms", type=float, default=200)
    parser.add_argument("--hang-seconds", type=float, default=120)
    parser.add_argument("--slow-seconds", type=float, default=3)
    parser.add_argument("--cost", type=float, default=0.0001)
    args = parser.parse_args()
    Handler.delay = args.delay_ms / 1000
    Handler.hang = args.hang_seconds
    Handler.slow = args.slow_seconds
    Handler.cost = args.cost
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    host, port = server.server_address[:2]
    print(json.dumps({"component": "fake-provider", "listening": "http://%s:%d" % (host, port)}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
