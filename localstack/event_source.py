#!/usr/bin/env python3
"""The local stand-in for AWS's SQS event source mapping and the scheduled functions' rules.

- Long-polls the orders queue and invokes `order-summary` through cargo-lambda's invoke API with
  batches of up to 10 records, shaped as Lambda's SQS event. Records the function reports in
  `batchItemFailures` are left alone (their visibility timeout, which the function may have
  changed to its back-off, brings them back; after maxReceiveCount the queue's redrive policy
  moves them to the dead-letter queue). The rest are deleted, as ReportBatchItemFailures does.
  A failed invocation leaves the whole batch for redelivery.
- Likewise long-polls the webhook deliveries queue (WEBHOOK_DELIVERIES_QUEUE_URL) for
  `webhook-deliver`, and invokes `webhook-relay` every RELAY_INTERVAL_SECONDS.
- Invokes `outbox-relay` every RELAY_INTERVAL_SECONDS, like the EventBridge schedule, and
  `restock-advice` every ADVICE_INTERVAL_SECONDS (daily in AWS; a run whose suggestions are those
  of the last note asks the provider nothing, so a short local interval costs nothing).

Settings (environment): ORDERS_QUEUE_URL, WEBHOOK_DELIVERIES_QUEUE_URL, AWS_ENDPOINT_URL_SQS, AWS_REGION, API_PORT (8000),
EVENT_SOURCE_POLLERS (2), RELAY_INTERVAL_SECONDS (5), ADVICE_INTERVAL_SECONDS (300).
"""
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

QUEUE_URL = os.environ["ORDERS_QUEUE_URL"]
# The webhook deliveries queue -> webhook-deliver, beside the orders queue -> order-summary.
DELIVERIES_QUEUE_URL = os.environ.get("WEBHOOK_DELIVERIES_QUEUE_URL")
ENDPOINT = os.environ.get("AWS_ENDPOINT_URL_SQS")
REGION = os.environ.get("AWS_REGION", "us-east-1")
API_PORT = os.environ.get("API_PORT", "8000")
INVOKE = "http://127.0.0.1:%s/2015-03-31/functions/{name}/invocations" % API_PORT
POLLERS = int(os.environ.get("EVENT_SOURCE_POLLERS", "2"))
RELAY_INTERVAL = float(os.environ.get("RELAY_INTERVAL_SECONDS", "5"))
ADVICE_INTERVAL = float(os.environ.get("ADVICE_INTERVAL_SECONDS", "300"))
# Longer than the function's own time limit; the first call may also wait for a build.
INVOKE_TIMEOUT = float(os.environ.get("EVENT_SOURCE_INVOKE_TIMEOUT", "300"))


def log(event, **fields):
    print(json.dumps({"component": "event-source", "event": event, **fields}), flush=True)


def sqs_client():
    return boto3.client(
        "sqs",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        # A long poll of 10 s must not be cut short by the read timeout.
        config=Config(read_timeout=30, retries={"max_attempts": 2}),
    )


def queue_arn(sqs, queue_url):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]


def invoke(name, event):
    """The function's JSON answer; raises on a failed invocation."""
    request = urllib.request.Request(
        INVOKE.format(name=name),
        data=json.dumps(event).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=INVOKE_TIMEOUT) as response:
        body = response.read()
    answer = json.loads(body) if body else None
    if isinstance(answer, dict) and "errorType" in answer:
        raise RuntimeError("%s: %s" % (answer.get("errorType"), answer.get("errorMessage")))
    return answer


def sqs_event(messages, arn):
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m.get("MD5OfBody"),
                "eventSource": "aws:sqs",
                "eventSourceARN": arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


def poll_forever(worker, queue_url=QUEUE_URL, function="order-summary"):
    sqs = sqs_client()
    arn = None
    while True:
        try:
            arn = arn or queue_arn(sqs, queue_url)
            received = sqs.receive_message(
                QueueUrl=queue_url,
                MaxNumberOfMessages=10,
                WaitTimeSeconds=10,
                MessageSystemAttributeNames=["All"],
            )
        except Exception as error:  # SQS down: keep trying, as the AWS poller does.
            log("receive-failed", worker=worker, error=str(error))
            time.sleep(2)
            continue
        messages = received.get("Messages", [])
        if not messages:
            continue
        try:
            answer = invoke(function, sqs_event(messages, arn))
        except Exception as error:
            log("invoke-failed", worker=worker, messages=len(messages), error=str(error))
            continue
        failed = {f.get("itemIdentifier") for f in (answer or {}).get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            try:
                sqs.delete_message_batch(
                    QueueUrl=queue_url,
                    Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
                    ],
                )
            except Exception as error:  # They come back and are skipped as duplicates.
                log("delete-failed", worker=worker, error=str(error))
        log("batch", worker=worker, function=function, received=len(messages),
            succeeded=len(done), failed=len(failed))


SCHEDULED = {
    "version": "0",
    "source": "aws.events",
    "detail-type": "Scheduled Event",
    "detail": {},
}


def relay_forever():
    while True:
        time.sleep(RELAY_INTERVAL)
        try:
            report = invoke("outbox-relay", SCHEDULED)
            if report and any(report.values()):
                log("relay", report=report)
        except Exception as error:
            log("relay-failed", error=str(error))


def webhook_relay_forever():
    while True:
        time.sleep(RELAY_INTERVAL)
        try:
            report = invoke("webhook-relay", SCHEDULED)
            if report and any(report.values()):
                log("webhook-relay", report=report)
        except Exception as error:
            log("webhook-relay-failed", error=str(error))


def advice_forever():
    while True:
        time.sleep(ADVICE_INTERVAL)
        try:
            report = invoke("restock-advice", SCHEDULED)
            if report and report.get("outcome") != "unchanged":
                log("restock-advice", report=report)
        except Exception as error:
            log("restock-advice-failed", error=str(error))


def main():
    log("start", queue=QUEUE_URL, pollers=POLLERS, relay_interval=RELAY_INTERVAL,
        advice_interval=ADVICE_INTERVAL)
    threads = [threading.Thread(target=poll_forever, args=(n,), daemon=True) for n in range(POLLERS)]
    threads.append(threading.Thread(target=relay_forever, daemon=True))
    threads.append(threading.Thread(target=advice_forever, daemon=True))
    if DELIVERIES_QUEUE_URL:
        threads += [
            threading.Thread(
                target=poll_forever, args=(n, DELIVERIES_QUEUE_URL, "webhook-deliver"), daemon=True
            )
            for n in range(POLLERS)
        ]
        threads.append(threading.Thread(target=webhook_relay_forever, daemon=True))
    for thread in threads:
        thread.start()
    try:
        while all(thread.is_alive() for thread in threads):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    sys.exit(1)


if __name__ == "__main__":
    main()
