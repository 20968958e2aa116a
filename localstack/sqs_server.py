#!/usr/bin/env python3
"""moto's server (the local SQS API), with its per-request costs that grow with the queue removed.

moto 5.2.5 serves each request at a cost that grows with the number of messages in the queue,
so once the summary consumer falls behind a load, the SQS API starves the functions sending
orders to it (measured: SendMessage took 5 ms of CPU at 400 queued messages and 22 ms at 2000).
Three lookups are made cheap here; what moto answers is unchanged:

- Reading one queue attribute built the whole attribute table, counting the queue's messages
  three times. SendMessage reads `ContentBasedDeduplication` that way on every send, and the
  receive path checks the retention period that way for every message it hands out. The table
  is now a mapping that computes an attribute when it is read (GetQueueAttributes still counts).
- "Now" was computed through two datetime conversions for every message a receive looks at;
  it is the same instant read from the clock directly.
- Each request listed moto's package folder (os.listdir and a stat per service) to route it;
  the list is read once.
- Deleting a message looked through the whole queue twice and rebuilt it; it now stops at the
  message, which is near the front (the oldest are received first).
- A queue's visible messages were listed in full for every receive and for every wake-up of a
  long poll, to hand out at most ten; they are now read as far as the reader goes.

Python's threads take turns every 5 ms by default, so a send waited behind long polls and other
requests far longer than it takes; the server switches every 0.5 ms.

moto's own server is werkzeug's development server, which closes the connection after every
answer ("Connection: close", always) and starts a thread per connection: each SendMessage of a
checkout paid a TCP connect, a new thread and an access-log line. moto's WSGI application is
served here by waitress instead, which keeps connections alive, serves them from a pool of
threads and logs no line per request. Long polls (ReceiveMessage with WaitTimeSeconds) each
hold a thread for their wait, so the pool is sized for the local stack's pollers and more.

Arguments: -H HOST -p PORT (as moto_server's), --threads N (64).
"""
import argparse
import json
import os
import sys
import time
from collections.abc import Iterator, Mapping
from typing import Any

import moto.backends
import waitress
from moto.core.utils import camelcase_to_underscores
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.sqs import models as sqs_models
from moto.sqs.exceptions import ReceiptHandleIsInvalid


class QueueAttributes(Mapping):
    """`Queue.attributes`, each value computed when read: the same keys, values and order."""

    def __init__(self, queue: sqs_models.Queue) -> None:
        self._queue = queue
        names = list(queue.BASE_ATTRIBUTES)
        if queue.fifo_queue:
            names += queue.FIFO_ATTRIBUTES
        if queue.kms_master_key_id:
            names += queue.KMS_ATTRIBUTES
        self._names = list(dict.fromkeys(names))

    def __getitem__(self, name: str) -> Any:
        if name not in self._names:
            raise KeyError(name)
        queue = self._queue
        if name == "RedrivePolicy" and queue.redrive_policy:
            return json.dumps(queue.redrive_policy)
        value = getattr(queue, camelcase_to_underscores(name))
        return str(value).lower() if isinstance(value, bool) else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class VisibleMessages:
    """`Queue.messages`, read lazily: what moto's list holds, in its order, looked at one by one.

    A receive takes the first few and a long poll asks only whether there is one."""

    def __init__(self, queue: sqs_models.Queue) -> None:
        self._messages = list(queue._messages)

    def __iter__(self) -> Iterator[Any]:
        return (m for m in self._messages if m.visible and not m.delayed)

    def __bool__(self) -> bool:
        return any(True for _ in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def delete_message(self: sqs_models.Queue, receipt_handle: str) -> None:
    """moto's `Queue.delete_message`, stopping at the one message that had the handle."""
    if receipt_handle in self.deleted_messages:
        return
    for index, message in enumerate(self._messages):
        if message.had_receipt_handle(receipt_handle):
            self.pending_messages.discard(message)
            self.deleted_messages.update(message.all_receipt_handles)
            del self._messages[index]
            return
    raise ReceiptHandleIsInvalid()


def unix_time_millis(dt: Any = None) -> float:
    """moto's `unix_time_millis`: now, in milliseconds since the epoch, read from the clock."""
    return time.time() * 1000.0 if dt is None else original_unix_time_millis(dt)


def within_retention(self: sqs_models.SQSBackend, queue_name: str, message: Any) -> bool:
    queue = self.get_queue(queue_name)
    return int(queue.message_retention_period) + message.sent_timestamp / 1000 > time.time()


REPLACED = (
    (sqs_models.Queue, "attributes"),
    (sqs_models, "unix_time_millis"),
    (sqs_models.SQSBackend, "is_message_valid_based_on_retention_period"),
    (sqs_models.Queue, "messages"),
    (sqs_models.Queue, "delete_message"),
    (moto.backends, "list_of_moto_modules"),
)
for owner, name in REPLACED:
    if not hasattr(owner, name):
        sys.exit(f"sqs_server.py: this moto has no {name} to replace; run moto_server instead")

original_unix_time_millis = sqs_models.unix_time_millis
sqs_models.Queue.attributes = property(QueueAttributes)
sqs_models.unix_time_millis = unix_time_millis
sqs_models.SQSBackend.is_message_valid_based_on_retention_period = within_retention
sqs_models.Queue.messages = property(VisibleMessages)
sqs_models.Queue.delete_message = delete_message
MOTO_MODULES = tuple(moto.backends.list_of_moto_modules())
moto.backends.list_of_moto_modules = lambda: MOTO_MODULES


# Seconds a thread holds the interpreter before another may run (Python's default: 0.005).
SWITCH_INTERVAL = 0.0005


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=64)
    args = parser.parse_args(argv)
    # moto writes this port into the queue URLs it hands out.
    os.environ.setdefault("MOTO_PORT", str(args.port))
    app = DomainDispatcherApplication(create_backend_app)
    sys.setswitchinterval(SWITCH_INTERVAL)
    # Kept-alive connections idle between calls (a poller between long polls, an instance
    # between orders) stay open past waitress's default 120 s; the stack opens more than 100.
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads,
                   channel_timeout=300, connection_limit=1000, ident="moto")


if __name__ == "__main__":
    main(sys.argv[1:])
