#!/usr/bin/env python3
"""Creates the orders queue and its dead-letter queue, with the settings the AWS template uses.

Works against any SQS API: moto on loopback (make dev), LocalStack (its init hook runs this),
or a real account. Prints the orders queue URL. Safe to run again.
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
    dlq_url = sqs.create_queue(
        QueueName=DEAD_LETTER_QUEUE,
        Attributes={"MessageRetentionPeriod": str(14 * 24 * 3600)},
    )["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    attributes = {
        "VisibilityTimeout": str(VISIBILITY_TIMEOUT),
        "MessageRetentionPeriod": str(4 * 24 * 3600),
        "RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVE_COUNT)}
        ),
    }
    queue_url = sqs.create_queue(QueueName=ORDERS_QUEUE)["QueueUrl"]
    # create_queue leaves an existing queue's attributes alone; set them explicitly.
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=attributes)
    print(queue_url)


if __name__ == "__main__":
    main()
