"""schemathesis hooks for localstack/fuzz.sh (loaded through SCHEMATHESIS_HOOKS).

Two answers of `cargo lambda watch`, the local gateway, are not the product's, and both are its
own `500 text/plain` (`{"type":"https://httpstatuses.com/500",...}`); the functions answer
every error as `application/problem+json`.

- A request body that is not UTF-8 is refused with it before any function runs (README,
  Troubleshooting). API Gateway hands such a body to the function base64-encoded instead, and the
  function answers 400 (shared/tests/api/gateway_bodies.rs). Dropped; the summary counts it.
- Rarely, under load, requests the gateway would pass on are answered with it all the same, for
  a moment (seen on GET /openapi.json and POST /purchase-orders/{id}/receive, with requests that
  the same stack then answered as documented), and the same request sent again a little later
  gets the function's answer. Such a failure is dropped only when a replay (up to three, a second
  or more apart) answers below 500, and the run prints both answers. One that keeps repeating
  stays a failure: a function that crashed or panicked fails the same way every time.

Every other failure stands.
"""

import sys
import time

import requests
import schemathesis

GATEWAY_500 = b'{"type":"https://httpstatuses.com/500","status":500,"title":"Internal Server Error"}'


def _not_utf8(body) -> bool:
    if isinstance(body, str) or body is None:
        return False
    try:
        bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _content_type(response) -> str:
    for name, values in response.headers.items():
        if name.lower() == "content-type" and values:
            return values[0]
    return ""


def is_gateway_500(response) -> bool:
    return (
        response.status_code == 500
        and _content_type(response).startswith("text/plain")
        and response.content.strip() == GATEWAY_500
    )


REPLAY_PAUSES = (1.0, 2.0, 3.0)


def _replay_status(prepared: requests.PreparedRequest) -> int | None:
    """The first status below 500 among a few replays, or the last one seen."""
    status = None
    for pause in REPLAY_PAUSES:
        time.sleep(pause)
        try:
            with requests.Session() as session:
                status = session.send(prepared.copy(), timeout=30).status_code
        except requests.RequestException:
            status = None
        if status is not None and status < 500:
            break
    return status


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    if not is_gateway_500(response):
        return True
    if _not_utf8(response.request.body):
        return False
    status = _replay_status(response.request)
    if status is not None and status < 500:
        print(
            f"fuzz: the local gateway answered {response.request.method} {response.request.url} "
            f"with its own 500 once; the same request again answered {status} (dropped)",
            file=sys.stderr,
        )
        return False
    return True
