"""API Gateway HTTP API (payload 2.0) events, as AWS hands them to the HTTP functions, and the
customer's access token the orders need (signed with the benchmark's own key, as auth-login
signs: EdDSA, the issuer and audience the functions expect)."""
import base64
import json
import time
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def http_event(method: str, path: str, query: str = "", body=None, token: str | None = None) -> dict:
    headers = {"host": "api.shop.local", "user-agent": "lambda-bench", "accept": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    if body is not None:
        headers["content-type"] = "application/json"
    now = time.time()
    event = {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": query,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "bench",
            "domainName": "api.shop.local",
            "domainPrefix": "api",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "lambda-bench",
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": f"{method} {path}",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = dict(part.split("=", 1) for part in query.split("&"))
    if body is not None:
        event["body"] = json.dumps(body)
    return event


class TokenKeys:
    """A fresh Ed25519 key pair; the public half goes to Secrets Manager for the functions."""

    def __init__(self):
        from cryptography.hazmat.primitives import serialization

        self._key = Ed25519PrivateKey.generate()
        self.public_pem = (
            self._key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )

    def token(self, user_id: str, role: str = "customer", session_version: int = 1, ttl: int = 3600) -> str:
        now = int(time.time())
        header = {"typ": "JWT", "alg": "EdDSA"}
        claims = {
            "sub": user_id,
            "role": role,
            "iat": now,
            "exp": now + ttl,
            "iss": "shop-auth",
            "aud": "shop-api",
            "sv": session_version,
        }
        signing_input = f"{_b64(json.dumps(header))}.{_b64(json.dumps(claims))}"
        signature = self._key.sign(signing_input.encode())
        return f"{signing_input}.{_b64(signature)}"


def _b64(data) -> str:
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
