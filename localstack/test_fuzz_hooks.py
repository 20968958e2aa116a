"""What localstack/fuzz_hooks.py drops and keeps; localstack/fuzz.sh runs this before fuzzing.

The replays go to a real HTTP server on loopback that answers like the local gateway.
"""

import contextlib
import http.server
import io
import threading
import unittest
from types import SimpleNamespace

import requests

import fuzz_hooks

GATEWAY_HEADERS = {"content-type": ["text/plain; charset=utf-8"]}
PROBLEM = b'{"type":"about:blank","title":"Internal Server Error","status":500}'


class Gateway(http.server.BaseHTTPRequestHandler):
    """Answers `/flaky` like a function (400), `/burst` with the gateway's own 500 on every
    other call, `/broken` always with it."""

    calls = 0

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        Gateway.calls += 1
        if self.path == "/flaky" or (self.path == "/burst" and Gateway.calls % 2 == 0):
            status, content_type, body = 400, "application/problem+json", b"{}"
        else:
            status, content_type, body = 500, "text/plain; charset=utf-8", fuzz_hooks.GATEWAY_500
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class FilterFailure(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        fuzz_hooks.REPLAY_PAUSES = (0.01, 0.01, 0.01)
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.base = f"http://127.0.0.1:{cls.server.server_port}"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def answer(self, path, body, status=500, headers=None, content=fuzz_hooks.GATEWAY_500):
        request = requests.Request("POST", self.base + path, data=body).prepare()
        return SimpleNamespace(
            status_code=status,
            headers=GATEWAY_HEADERS if headers is None else headers,
            content=content,
            request=request,
        )

    def keeps(self, response):
        # What a drop prints belongs to a real run's output, not to this check's.
        with contextlib.redirect_stderr(io.StringIO()):
            return fuzz_hooks.filter_failure(None, None, None, response)

    def test_drops_the_gateways_refusal_of_a_body_that_is_not_utf8(self):
        self.assertFalse(self.keeps(self.answer("/broken", b"\xff\xfe{}")))

    def test_keeps_a_functions_own_500_for_such_a_body(self):
        headers = {"Content-Type": ["application/problem+json"]}
        self.assertTrue(self.keeps(self.answer("/broken", b"\xff\xfe", headers=headers, content=PROBLEM)))

    def test_keeps_any_other_status(self):
        self.assertTrue(self.keeps(self.answer("/broken", b"\xff\xfe", status=502)))

    def test_drops_a_gateway_500_that_its_replay_does_not_repeat(self):
        self.assertFalse(self.keeps(self.answer("/flaky", b'{"a": 1}')))

    def test_drops_a_gateway_500_that_a_later_replay_does_not_repeat(self):
        Gateway.calls = 0
        self.assertFalse(self.keeps(self.answer("/burst", b'{"a": 1}')))

    def test_keeps_a_gateway_500_that_every_replay_repeats(self):
        self.assertTrue(self.keeps(self.answer("/broken", b'{"a": 1}')))


if __name__ == "__main__":
    unittest.main()
