#!/usr/bin/env python3
"""Runs release Lambda zips the way AWS does and prints what a cold start and an invocation cost.

For each function: its zip's size; COLD_STARTS fresh processes, each timed from exec to its first
GET /invocation/next on the local Runtime API (runtime_api.py) and then given one event (the
first invocation: the database connection, its TLS handshake, the first statement); then one
more process that answers WARM invocations after its first, timed one by one, and its VmRSS
after them. Everything it talks to is real and on loopback: the Runtime API here, Postgres
with TLS verified against one CA, moto's Secrets Manager and SQS.

Settings come from run.sh (the environment it exports; see there).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from events import TokenKeys, http_event  # noqa: E402
from runtime_api import RuntimeApi  # noqa: E402

COLD_STARTS = int(os.environ.get("LAMBDA_BENCH_COLD_STARTS", "10"))
WARM = int(os.environ.get("LAMBDA_BENCH_WARM", "1000"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lambda-dir", required=True, help="where cargo lambda put <function>/bootstrap.zip")
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--runtime-port", type=int, required=True)
    parser.add_argument("--product-id", required=True, help="a product with stock for every order")
    parser.add_argument("--customer-id", required=True)
    parser.add_argument("functions", nargs="+")
    args = parser.parse_args()
    work = Path(args.work_dir)
    work.mkdir(parents=True, exist_ok=True)

    keys = TokenKeys()
    public_key = work / "jwt-public.pem"
    public_key.write_text(keys.public_pem)
    base_env = lambda_environment(secret_arns(public_key))
    token = keys.token(args.customer_id)
    requests = {
        "health": http_event("GET", "/health"),
        "products-list": http_event("GET", "/products", "limit=20"),
        "orders-create": http_event(
            "POST", "/orders", body={"items": [{"product_id": args.product_id, "quantity": 1}]}, token=token
        ),
    }

    ports = Ports(args.runtime_port)
    rows = []
    for function in args.functions:
        zip_path = Path(args.lambda_dir) / function / "bootstrap.zip"
        bootstrap = unpack(zip_path, work / function)
        env = dict(base_env, AWS_LAMBDA_FUNCTION_NAME=function)
        with open(work / f"{function}.log", "wb") as log:
            rows.append(measure(ports, function, bootstrap, env, requests[function], zip_path.stat().st_size, log))
    print_table(rows)


class Ports:
    """Each process gets a Runtime API on the next of RUNTIME_PORTS ports from `first`."""

    RUNTIME_PORTS = 32

    def __init__(self, first: int):
        self.first = first
        self.used = 0

    def api(self, function: str) -> RuntimeApi:
        port = self.first + self.used % self.RUNTIME_PORTS
        self.used += 1
        return RuntimeApi(port, function)


def secret_arns(public_key: Path) -> dict:
    """The JWT public key in moto's Secrets Manager, by ARN, as the functions read it."""
    script = Path(__file__).resolve().parent.parent / "create_secrets.py"
    out = subprocess.run(
        [sys.executable, str(script), f"JWT_PUBLIC_KEY={public_key}"], check=True, capture_output=True, text=True
    ).stdout
    return dict(line.split("=", 1) for line in out.split())


def lambda_environment(arns: dict) -> dict:
    """What a function's process sees in AWS (not this shell's environment), pointed at loopback."""
    passed = ("DATABASE_URL", "DATABASE_CA_CERT", "ORDERS_QUEUE_URL", "AWS_ENDPOINT_URL_SQS",
              "AWS_ENDPOINT_URL_SECRETS_MANAGER", "ORDER_RATE_LIMIT_PER_MINUTE", "RUST_LOG")
    env = {name: os.environ[name] for name in passed if name in os.environ}
    env.update(arns)
    env.update(
        PATH="/usr/local/bin:/usr/bin:/bin",
        LANG="en_US.UTF-8",
        TZ=":UTC",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_SESSION_TOKEN="test",
        AWS_EXECUTION_ENV="AWS_Lambda_provided.al2023",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE="256",
        AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
        AWS_LAMBDA_LOG_GROUP_NAME="/aws/lambda/bench",
        AWS_LAMBDA_LOG_STREAM_NAME="bench",
        AWS_LAMBDA_INITIALIZATION_TYPE="on-demand",
        _HANDLER="bootstrap",
    )
    return env


def unpack(zip_path: Path, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extract("bootstrap", into)
    bootstrap = into / "bootstrap"
    bootstrap.chmod(0o755)
    return bootstrap


def measure(ports, function, bootstrap, env, event, zip_bytes, log) -> dict:
    cold, first = [], []
    for _ in range(COLD_STARTS):
        api = ports.api(function)
        started = time.perf_counter()
        process = start(bootstrap, env, api, log)
        try:
            cold.append(api.wait_for_first_next(15) - started)
            first.append(checked(api.invoke(event), function).seconds)
        finally:
            stop(process, api)

    api = ports.api(function)
    process = start(bootstrap, env, api, log)
    try:
        api.wait_for_first_next(15)
        checked(api.invoke(event), function)
        warm = [checked(api.invoke(event), function).seconds for _ in range(WARM)]
        rss_kib = vm_rss_kib(process.pid)
    finally:
        stop(process, api)
    return {
        "function": function,
        "zip_bytes": zip_bytes,
        "cold": cold,
        "first": first,
        "warm": warm,
        "rss_kib": rss_kib,
    }


def checked(answer, function):
    """The answer, when the function answered its HTTP request with a 2xx."""
    if not answer.ok:
        raise RuntimeError(f"{function}: invocation error {answer.body[:500]!r}")
    status = json.loads(answer.body).get("statusCode")
    if not (200 <= int(status) < 300):
        raise RuntimeError(f"{function}: HTTP {status}: {answer.body[:500]!r}")
    return answer


def start(bootstrap, env, api, log):
    env = dict(env, AWS_LAMBDA_RUNTIME_API=api.address)
    return subprocess.Popen([str(bootstrap)], env=env, stdout=log, stderr=log, cwd=bootstrap.parent)


def stop(process, api) -> None:
    process.kill()
    process.wait()
    api.close()


def vm_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def percentile(values, fraction) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def ms(seconds) -> str:
    return f"{seconds * 1000:.2f}"


def print_table(rows) -> None:
    print()
    print(f"cold starts: {COLD_STARTS} per function; warm: {WARM} invocations after the first; times in ms")
    header = ("function", "zip KiB", "cold start p50 (min-max)", "first invocation p50 (max)",
              "warm p50", "warm p99", f"VmRSS after {WARM}")
    table = [header]
    for row in rows:
        table.append((
            row["function"],
            f"{row['zip_bytes'] / 1024:.0f}",
            f"{ms(statistics.median(row['cold']))} ({ms(min(row['cold']))}-{ms(max(row['cold']))})",
            f"{ms(statistics.median(row['first']))} ({ms(max(row['first']))})",
            ms(percentile(row["warm"], 0.5)),
            ms(percentile(row["warm"], 0.99)),
            f"{row['rss_kib'] / 1024:.1f} MiB",
        ))
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())


if __name__ == "__main__":
    main()
