#!/usr/bin/env python3
"""moto's server (the local SQS API), with one lookup made constant-time.

moto 5.2.5 checks each message it hands out against the queue's retention period by computing
every queue attribute, which counts the queue's messages: a receive costs O(queue length) per
message. Under load, once the summary consumer falls behind, each receive of 10 messages took
~50 ms of CPU at 100 queued messages and ~450 ms at 1000, and the SQS API starved the functions
sending orders to it. This reads the retention period directly; the check itself is unchanged.

Arguments are moto_server's (-H HOST -p PORT).
"""
import sys

from moto.core.utils import unix_time
from moto.server import main
from moto.sqs.models import SQSBackend


def _within_retention(self, queue_name, message):
    queue = self.get_queue(queue_name)
    return int(queue.message_retention_period) + message.sent_timestamp / 1000 > unix_time()


if not hasattr(SQSBackend, "is_message_valid_based_on_retention_period"):
    sys.exit("sqs_server.py: this moto has no retention check to replace; run moto_server instead")
SQSBackend.is_message_valid_based_on_retention_period = _within_retention

if __name__ == "__main__":
    main(sys.argv[1:])
