"""A Lambda Runtime API on loopback, the one a function's `bootstrap` talks to in AWS.

A real HTTP server (ThreadingHTTPServer, HTTP/1.1 keep-alive) serving
  GET  /2018-06-01/runtime/invocation/next            the next event, with the Lambda-Runtime-* headers
  POST /2018-06-01/runtime/invocation/{id}/response   the function's answer
  POST /2018-06-01/runtime/invocation/{id}/error      a failed invocation
  POST /2018-06-01/runtime/init/error                 a failed start-up

Each function process the benchmark starts gets a server of its own: the time its first /next
arrived, its events and their answers. Times are time.perf_counter() seconds, taken as a request arrives
or just before an event is written, so an invocation's time is what the function took
between receiving the event and posting its answer (plus this server's parsing).
"""
import json
import queue
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:{name}"
# What AWS gives an invocation by default; the benchmark never comes near it.
DEADLINE_SECONDS = 30


@dataclass
class Answer:
    request_id: str
    handed_out_at: float
    answered_at: float | None = None
    ok: bool = False
    body: bytes = b""

    @property
    def seconds(self) -> float:
        return self.answered_at - self.handed_out_at


class RuntimeApi:
    """The Runtime API of one function process, on a port of its own: a request still in flight
    from a process that was just stopped can never take the next process's event."""

    def __init__(self, port: int, function: str):
        self.function = function
        self.first_next_at: float | None = None
        self.init_error: bytes | None = None
        self.events: queue.Queue = queue.Queue()
        self.answers: dict[str, Answer] = {}
        self.changed = threading.Condition()
        self.server = _Server(("127.0.0.1", port), _Handler)
        self.server.daemon_threads = True
        self.server.api = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        host, port = self.server.server_address[:2]
        return f"{host}:{port}"

    def wait_for_first_next(self, timeout: float) -> float:
        with self.changed:
            if not self.changed.wait_for(
                lambda: self.first_next_at is not None or self.init_error is not None, timeout
            ):
                raise TimeoutError(f"{self.function}: no /next within {timeout} s")
        if self.init_error is not None:
            raise RuntimeError(f"{self.function}: init error {self.init_error.decode()}")
        return self.first_next_at

    def invoke(self, event: dict, timeout: float = DEADLINE_SECONDS) -> Answer:
        request_id = str(uuid.uuid4())
        self.events.put((request_id, json.dumps(event).encode()))
        with self.changed:
            if not self.changed.wait_for(
                lambda: request_id in self.answers and self.answers[request_id].answered_at is not None,
                timeout,
            ):
                raise TimeoutError(f"{self.function}: no answer to {request_id}")
            return self.answers[request_id]

    def close(self) -> None:
        """Stops serving; a /next still waiting is released empty-handed."""
        self.events.put(None)
        self.server.shutdown()
        self.server.server_close()


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A stopped process drops its connection mid-request; anything else is reported.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle's algorithm can hold the
    # body back until the client's delayed ACK, tens of milliseconds.
    disable_nagle_algorithm = True

    def log_message(self, *args) -> None:  # no line per request
        pass

    def do_GET(self) -> None:
        arrived = time.perf_counter()
        instance = self.server.api
        if self.path != f"{PREFIX}/invocation/next":
            return self._reply(404, b'{"errorMessage":"not found"}')
        with instance.changed:
            if instance.first_next_at is None:
                instance.first_next_at = arrived
                instance.changed.notify_all()
        item = instance.events.get()
        if item is None:  # the server is closing: its process was stopped
            return
        request_id, body = item
        deadline_ms = int((time.time() + DEADLINE_SECONDS) * 1000)
        # Recorded before the event is written: the answer may arrive on another thread first.
        with instance.changed:
            instance.answers[request_id] = Answer(request_id, time.perf_counter())
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Lambda-Runtime-Aws-Request-Id", request_id)
        self.send_header("Lambda-Runtime-Deadline-Ms", str(deadline_ms))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN.format(name=instance.function))
        self.send_header("Lambda-Runtime-Trace-Id", f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Sampled=0")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_POST(self) -> None:
        arrived = time.perf_counter()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        instance = self.server.api
        parts = self.path.removeprefix(PREFIX).strip("/").split("/")
        if parts == ["init", "error"]:
            with instance.changed:
                instance.init_error = body
                instance.changed.notify_all()
            return self._reply(202, b'{"status":"OK"}')
        if len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
            with instance.changed:
                answer = instance.answers.get(parts[1])
                if answer is None:
                    return self._reply(400, b'{"errorMessage":"unknown request id"}')
                answer.answered_at = arrived
                answer.ok = parts[2] == "response"
                answer.body = body
                instance.changed.notify_all()
            return self._reply(202, b'{"status":"OK"}')
        self._reply(404, b'{"errorMessage":"not found"}')

    def _reply(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
