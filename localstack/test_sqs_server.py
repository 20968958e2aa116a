"""The local SQS API (sqs_server.py) answers as moto does: its lookups are cheaper, not different,
and one connection serves call after call.

Starts sqs_server.py on a free loopback port and drives it with boto3, the way the local stack's
scripts do. Run: .local/venv/bin/python -m unittest discover -s localstack -p test_sqs_server.py
"""
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import unittest
import urllib.request

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SqsServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        port = free_port()
        cls.endpoint = f"http://127.0.0.1:{port}"
        cls.server = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "sqs_server.py"), "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                urllib.request.urlopen(cls.endpoint + "/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            cls.server.kill()
            raise RuntimeError("sqs_server.py did not start")
        cls.sqs = boto3.client(
            "sqs",
            endpoint_url=cls.endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.server.wait(timeout=10)

    def attributes(self, url, *names):
        return self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(names or ["All"]))[
            "Attributes"
        ]

    def test_counts_follow_sends_receives_and_deletes(self):
        url = self.sqs.create_queue(QueueName="counts", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
        for i in range(5):
            self.sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
        self.sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)
        received = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2)["Messages"]
        self.assertEqual(len(received), 2)
        counts = self.attributes(url)
        self.assertEqual(counts["ApproximateNumberOfMessages"], "3")
        self.assertEqual(counts["ApproximateNumberOfMessagesNotVisible"], "2")
        self.assertEqual(counts["ApproximateNumberOfMessagesDelayed"], "1")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=received[0]["ReceiptHandle"])
        self.assertEqual(self.attributes(url, "ApproximateNumberOfMessagesNotVisible"),
                         {"ApproximateNumberOfMessagesNotVisible": "1"})

    def test_a_delete_takes_exactly_its_message_wherever_it_sits(self):
        url = self.sqs.create_queue(QueueName="deletes", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
        for i in range(6):
            self.sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
        received = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=4)["Messages"]
        self.assertEqual([m["Body"] for m in received], ["m0", "m1", "m2", "m3"])
        # The last one received first, then one from the middle; a second delete is harmless.
        for message in (received[3], received[1], received[1]):
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        self.assertEqual(self.attributes(url, "ApproximateNumberOfMessagesNotVisible"),
                         {"ApproximateNumberOfMessagesNotVisible": "2"})
        with self.assertRaises(self.sqs.exceptions.ReceiptHandleIsInvalid):
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle="not-a-handle")
        rest = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual([m["Body"] for m in rest], ["m4", "m5"])
        self.assertEqual(self.attributes(url, "ApproximateNumberOfMessages"),
                         {"ApproximateNumberOfMessages": "0"})

    def test_a_long_poll_wakes_for_a_message_sent_during_it(self):
        url = self.sqs.create_queue(QueueName="long-poll")["QueueUrl"]
        threading.Timer(0.2, lambda: self.sqs.send_message(QueueUrl=url, MessageBody="late")).start()
        started = time.monotonic()
        got = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5)["Messages"]
        self.assertEqual([m["Body"] for m in got], ["late"])
        # Woken by the send, not by moto's once-a-second look again.
        self.assertLess(time.monotonic() - started, 0.9)

    def test_a_long_poll_on_an_empty_queue_waits_without_spinning(self):
        url = self.sqs.create_queue(QueueName="idle-poll")["QueueUrl"]
        before = self.server_cpu_seconds()
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2))
        self.assertLess(self.server_cpu_seconds() - before, 0.5)

    def server_cpu_seconds(self):
        fields = open(f"/proc/{self.server.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def test_the_whole_table_reads_as_moto_writes_it(self):
        dlq = self.sqs.create_queue(QueueName="table-dlq")["QueueUrl"]
        dlq_arn = self.attributes(dlq, "QueueArn")["QueueArn"]
        policy = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"}
        url = self.sqs.create_queue(
            QueueName="table", Attributes={"RedrivePolicy": json.dumps(policy), "VisibilityTimeout": "7"}
        )["QueueUrl"]
        table = self.attributes(url)
        self.assertEqual(table["VisibilityTimeout"], "7")
        self.assertEqual(json.loads(table["RedrivePolicy"])["deadLetterTargetArn"], dlq_arn)
        self.assertEqual(table["QueueArn"], "arn:aws:sqs:us-east-1:123456789012:table")
        self.assertNotIn("FifoQueue", table)
        # Creating it again with the same attributes is allowed; with others it is not.
        same = self.sqs.create_queue(
            QueueName="table", Attributes={"RedrivePolicy": json.dumps(policy), "VisibilityTimeout": "7"}
        )
        self.assertEqual(same["QueueUrl"], url)
        with self.assertRaises(self.sqs.exceptions.QueueNameExists):
            self.sqs.create_queue(QueueName="table", Attributes={"VisibilityTimeout": "8"})

    def test_a_message_received_too_often_moves_to_the_dead_letter_queue(self):
        dlq = self.sqs.create_queue(QueueName="redrive-dlq")["QueueUrl"]
        dlq_arn = self.attributes(dlq, "QueueArn")["QueueArn"]
        url = self.sqs.create_queue(
            QueueName="redrive",
            Attributes={
                "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "1"}),
                "VisibilityTimeout": "1",
            },
        )["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="poison")
        self.assertEqual(len(self.sqs.receive_message(QueueUrl=url)["Messages"]), 1)
        time.sleep(1.5)
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        moved = self.sqs.receive_message(QueueUrl=dlq)["Messages"]
        self.assertEqual([m["Body"] for m in moved], ["poison"])

    def test_fifo_content_deduplication_still_applies(self):
        url = self.sqs.create_queue(
            QueueName="dedupe.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"}
        )["QueueUrl"]
        for _ in range(2):
            self.sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g")
        self.assertEqual(self.attributes(url, "ApproximateNumberOfMessages"),
                         {"ApproximateNumberOfMessages": "1"})
        self.assertEqual(self.attributes(url, "ContentBasedDeduplication"),
                         {"ContentBasedDeduplication": "true"})

    def test_one_connection_serves_call_after_call(self):
        """A checkout sends one message per order: it must not pay a TCP connect each time."""
        url = self.sqs.create_queue(QueueName="kept-alive")["QueueUrl"]
        host, port = self.endpoint.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            # The client's local port names its TCP connection: a reconnect gets a new one
            # (an id() of the socket object could be reused after a close).
            ports = set()
            for i in range(3):
                body = json.dumps({"QueueUrl": url, "MessageBody": f"m{i}"})
                connection.request("POST", "/", body=body, headers={
                    "Content-Type": "application/x-amz-json-1.0",
                    "X-Amz-Target": "AmazonSQS.SendMessage",
                    "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, "
                                     "SignedHeaders=host, Signature=0",
                })
                answer = connection.getresponse()
                sent = answer.read()
                self.assertEqual(answer.status, 200, sent)
                self.assertIn("MessageId", json.loads(sent))
                self.assertNotEqual((answer.getheader("Connection") or "").lower(), "close")
                ports.add(connection.sock.getsockname()[1])
            self.assertEqual(len(ports), 1)
        finally:
            connection.close()
        self.assertEqual(self.attributes(url, "ApproximateNumberOfMessages"),
                         {"ApproximateNumberOfMessages": "3"})


if __name__ == "__main__":
    unittest.main()
