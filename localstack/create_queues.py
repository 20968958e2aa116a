#!/usr/bin/env python3
"""Creates the orders queue and the webhook deliveries queue, each with its dead-letter queue,
with the settings the AWS template uses.

Works against any SQS API: moto on loopback (make dev), LocalStack (its init hook runs this),
or a real account. Prints the orders queue URL, then the deliveries queue URL. Safe to run again.
"""
import argparse
import json
import os

import boto3

ORDERS_QUEUE = "shop-orders"
DEAD_LETTER_QUEUE = "shop-orders-dlq"
# After this many receives a message moves to the DLQ (the template's maxReceiveCount).
MAX_RECEIVE_COUNT = int(os.environ.get("ORDERS_MAX_RECEIVE_COUNT", "5"))
# Visibility timeout: how long a received message stays hidden before it is retried
# (the template uses 6 x the summary function's 40 s timeout; `make dev` sets a short one).
VISIBILITY_TIMEOUT = int(os.environ.get("ORDERS_VISIBILITY_TIMEOUT", "240"))
DELIVERIES_QUEUE = "shop-webhook-deliveries"
DELIVERIES_DEAD_LETTER_QUEUE = "shop-webhook-deliveries-dlq"
# Each attempt and each early wake-up of a delivery is a receive; the schedule's 8 attempts stay
# far below this. Only a message that keeps failing to run at all ends in its DLQ.
DELIVERIES_MAX_RECEIVE_COUNT = int(os.environ.get("WEBHOOK_DELIVERIES_MAX_RECEIVE_COUNT", "30"))
# What a message waits when webhook-deliver could not run at all (it sets its own back-off).
DELIVERIES_VISIBILITY_TIMEOUT = int(os.environ.get("WEBHOOK_DELIVERIES_VISIBILITY_TIMEOUT", "60"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint", default=os.environ.get("AWS_ENDPOINT_URL_SQS"))
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    args = parser.parse_args()

    sqs = boto3.client(
        "sqs",
        endpoint_url=args.endpoint,
        region_name=args.region,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
    )
    print(queue_with_dlq(sqs, ORDERS_QUEUE, DEAD_LETTER_QUEUE, VISIBILITY_TIMEOUT, MAX_RECEIVE_COUNT))
    print(
        queue_with_dlq(
            sqs,
            DELIVERIES_QUEUE,
            DELIVERIES_DEAD_LETTER_QUEUE,
            DELIVERIES_VISIBILITY_TIMEOUT,
            DELIVERIES_MAX_RECEIVE_COUNT,
        )
    )


def queue_with_dlq(sqs, name, dlq_name, visibility_timeout, max_receive_count):
    """The queue's URL, made (or updated) with its dead-letter queue behind it."""
    dlq_url = sqs.create_queue(
        QueueName=dlq_name,
        Attributes={"MessageRetentionPeriod": str(14 * 24 * 3600)},
    )["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    attributes = {
        "VisibilityTimeout": str(visibility_timeout),
        "MessageRetentionPeriod": str(4 * 24 * 3600),
        "RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)}
        ),
    }
    queue_url = sqs.create_queue(QueueName=name)["QueueUrl"]
    # create_queue leaves an existing queue's attributes alone; set them explicitly.
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=attributes)
    return queue_url


if __name__ == "__main__":
    main()
