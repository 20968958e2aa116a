#!/usr/bin/env python3
"""What a send and a receive cost the local SQS API as its queue grows (`make bench-sqs`).

Starts moto's own server and localstack/sqs_server.py (moto with its per-request lookups made
cheap) on free loopback ports, then for each fills a queue to each DEPTH and measures, from
CLIENTS threads: SendMessage calls per second, and ReceiveMessage (10) + DeleteMessageBatch
rounds per second, each with the server's CPU seconds per call. Prints a table; asserts nothing.

Settings (environment): DEPTHS (0,1000,2000), CALLS (200 per measurement), CLIENTS (4),
SERVERS (moto_server,sqs_server.py: which to measure).
"""
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))
VENV_BIN = os.path.dirname(sys.executable)
DEPTHS = [int(d) for d in os.environ.get("DEPTHS", "0,1000,2000").split(",")]
CALLS = int(os.environ.get("CALLS", "200"))
CLIENTS = int(os.environ.get("CLIENTS", "4"))
BODY = '{"order_id":"0195f1c2-0000-7000-8000-000000000000","correlation_id":"0195f1c2-0000-4000-8000-000000000000"}'


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def client(endpoint):
    return boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(endpoint, pid, work):
    """Runs work(sqs) CALLS times over CLIENTS threads: (calls per second, server CPU ms per call)."""
    per_client = CALLS // CLIENTS

    def run():
        sqs = client(endpoint)
        for _ in range(per_client):
            work(sqs)

    cpu_before, started = cpu_seconds(pid), time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu_before
    calls = per_client * CLIENTS
    return calls / elapsed, 1000 * cpu / calls


def bench(name, command):
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(command + ["-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        sqs = client(endpoint)
        for depth in DEPTHS:
            url = sqs.create_queue(QueueName=f"depth-{depth}")["QueueUrl"]
            filled = 0
            while filled < depth:
                batch = min(10, depth - filled)
                sqs.send_message_batch(QueueUrl=url, Entries=[
                    {"Id": str(i), "MessageBody": BODY} for i in range(batch)])
                filled += batch

            def send(sqs):
                sqs.send_message(QueueUrl=url, MessageBody=BODY)

            def receive_and_delete(sqs):
                messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
                if messages:
                    sqs.delete_message_batch(QueueUrl=url, Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])

            sends, send_cpu = measure(endpoint, server.pid, send)
            rounds, round_cpu = measure(endpoint, server.pid, receive_and_delete)
            print(f"{name:<14} {depth:>6} {sends:>10.0f} {send_cpu:>12.2f} {rounds:>12.0f} {round_cpu:>14.2f}",
                  flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)


print(f"local SQS API, {CLIENTS} client threads, {CALLS} calls per figure")
print(f"{'server':<14} {'queued':>6} {'sends/s':>10} {'CPU ms/send':>12} {'rounds/s':>12} {'CPU ms/round':>14}")
print("(a round: ReceiveMessage of 10 and DeleteMessageBatch of what it got)")
SERVERS = {
    "moto_server": [os.path.join(VENV_BIN, "moto_server")],
    "sqs_server.py": [sys.executable, os.path.join(HERE, "..", "sqs_server.py")],
}
for name in os.environ.get("SERVERS", ",".join(SERVERS)).split(","):
    bench(name, SERVERS[name])
