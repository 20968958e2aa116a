"""What the template promises beyond cfn-lint: who names which secret, who may touch the queue,
and the queue settings the consumer relies on (who may read which secret: test_secrets.py)."""
import unittest

import sources

HTTP_ONLY = "http"
# Every variable the functions read; a typo in the template would otherwise pass silently.
KNOWN_VARIABLES = {
    "DATABASE_URL", "JWT_ISSUER", "JWT_AUDIENCE",
    "ORDERS_QUEUE_URL", "OPENROUTER_BASE_URL", "OPENROUTER_MODEL",
    "ADMIN_EMAIL", "ORDERS_MAX_RECEIVE_COUNT", "RUST_LOG",
    # Secrets are named by ARN only (shared/src/secrets.rs); their values are read at start-up.
    "JWT_PUBLIC_KEY_SECRET_ARN", "JWT_PRIVATE_KEY_SECRET_ARN", "OPENROUTER_API_KEY_SECRET_ARN",
    "ADMIN_PASSWORD_SECRET_ARN", "DATABASE_SECRET_ARN",
    # Optional tuning the code also reads (defaults in shared/src): not set by the template today.
    "JWT_TTL_SECONDS", "SUMMARY_CONNECT_TIMEOUT_SECONDS", "SUMMARY_REQUEST_TIMEOUT_SECONDS",
    "SUMMARY_RETRY_BASE_SECONDS", "SUMMARY_RETRY_MAX_SECONDS", "SUMMARY_BREAKER_THRESHOLD",
    "SUMMARY_BREAKER_COOL_DOWN_SECONDS",
    "OUTBOX_RELAY_BUDGET_SECONDS", "OUTBOX_RETENTION_DAYS", "SUMMARY_PENDING_HORIZON_SECONDS",
    "ORDER_RATE_LIMIT_PER_MINUTE", "DATABASE_CA_CERT",
    "AI_DAILY_BUDGET_USD", "OPENROUTER_APP_URL",
    "WEBHOOK_SECRETS_KEY_SECRET_ARN", "WEBHOOKS_ALLOW_LOOPBACK", "WEBHOOK_DELIVERIES_QUEUE_URL",
    "WEBHOOK_RETRY_SCHEDULE_SECONDS", "WEBHOOK_REQUEUE_AFTER_SECONDS", "WEBHOOK_RETENTION_DAYS",
}
NON_HTTP = {
    "order-summary", "outbox-relay", "restock-advice", "db-migrate", "webhook-relay", "webhook-deliver",
}
# The functions that call the AI provider.
AI_CALLERS = {"order-summary", "restock-advice"}


def _environment(template, resource) -> dict:
    merged = dict(template["Globals"]["Function"]["Environment"]["Variables"])
    merged.update(resource["Properties"].get("Environment", {}).get("Variables", {}))
    return merged


def _policy_text(resource) -> str:
    return repr(resource["Properties"].get("Policies", []))


class TemplateShape(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.template = sources.load_template()
        cls.resources = cls.template["Resources"]
        cls.functions = sources.template_functions(cls.template)
        cls.http = {
            name
            for name, (_, resource) in cls.functions.items()
            if any(e.get("Type") == "HttpApi" for e in resource["Properties"].get("Events", {}).values())
        }

    def test_functions_are_arm64_rust_built_from_the_workspace_root(self):
        globals_ = self.template["Globals"]["Function"]
        self.assertEqual(globals_["Runtime"], "provided.al2023")
        self.assertEqual(globals_["Architectures"], ["arm64"])
        self.assertEqual(globals_["Handler"], "bootstrap")
        self.assertEqual(globals_["CodeUri"], "..")
        for name, (logical_id, resource) in self.functions.items():
            with self.subTest(function=name):
                self.assertEqual(resource["Metadata"]["BuildMethod"], "rust-cargolambda")
                props = resource["Properties"]
                self.assertEqual(props["FunctionName"], {"Sub": f"${{AWS::StackName}}-{name}"})
                self.assertIn("VpcConfig", props)

    def test_every_function_logs_to_its_own_group_with_retention(self):
        for name, (logical_id, resource) in self.functions.items():
            with self.subTest(function=name):
                group_id = resource["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
                group = self.resources[group_id]
                self.assertEqual(group["Type"], "AWS::Logs::LogGroup")
                self.assertIn("RetentionInDays", group["Properties"])
                self.assertEqual(
                    group["Properties"]["LogGroupName"], {"Sub": f"/aws/lambda/${{AWS::StackName}}-{name}"}
                )

    def test_environment_names_are_the_ones_the_code_reads(self):
        for name, (_, resource) in self.functions.items():
            with self.subTest(function=name):
                unknown = set(_environment(self.template, resource)) - KNOWN_VARIABLES
                self.assertFalse(unknown, f"unknown variables {unknown}")

    def test_only_login_names_the_private_key_and_every_http_function_the_public_key(self):
        self.assertEqual(self.http | NON_HTTP, set(self.functions))
        for name, (_, resource) in self.functions.items():
            env = _environment(self.template, resource)
            with self.subTest(function=name):
                self.assertEqual("JWT_PRIVATE_KEY_SECRET_ARN" in env, name == "auth-login")
                self.assertEqual("JWT_PUBLIC_KEY_SECRET_ARN" in env, name in self.http)
                self.assertEqual("ADMIN_PASSWORD_SECRET_ARN" in env, name == "db-migrate")
                self.assertEqual("OPENROUTER_API_KEY_SECRET_ARN" in env, name in AI_CALLERS)
                self.assertEqual(
                    "WEBHOOK_SECRETS_KEY_SECRET_ARN" in env, name in {"webhooks-create", "webhook-deliver"}
                )
                self.assertNotIn("WEBHOOKS_ALLOW_LOOPBACK", env, "deployed stacks refuse private receivers")
                self.assertEqual(
                    "ORDERS_QUEUE_URL" in env, name in {"orders-create", "outbox-relay", "order-summary"}
                )
                self.assertEqual("DATABASE_SECRET_ARN" in env, name != "openapi")

    def test_only_the_producers_send_and_only_the_consumer_receives(self):
        for name, (_, resource) in self.functions.items():
            policies = _policy_text(resource)
            with self.subTest(function=name):
                self.assertEqual(
                    "SQSSendMessagePolicy" in policies, name in {"orders-create", "outbox-relay", "webhook-relay"}
                )
                self.assertEqual("sqs:ReceiveMessage" in policies, name in {"order-summary", "webhook-deliver"})
                self.assertNotIn("'*'", policies, "no wildcard resources")

    def test_the_queue_retries_then_dead_letters(self):
        queue = self.resources["OrdersQueue"]["Properties"]
        summary = self.functions["order-summary"][1]["Properties"]
        self.assertGreaterEqual(queue["VisibilityTimeout"], 6 * summary["Timeout"])
        self.assertEqual(queue["RedrivePolicy"]["maxReceiveCount"], {"Ref": "OrdersMaxReceiveCount"})
        self.assertEqual(
            summary["Environment"]["Variables"]["ORDERS_MAX_RECEIVE_COUNT"], {"Ref": "OrdersMaxReceiveCount"}
        )
        self.assertEqual(self.template["Parameters"]["OrdersMaxReceiveCount"]["Default"], 5)

        mapping = self.resources["OrderSummaryQueueMapping"]["Properties"]
        self.assertEqual(mapping["FunctionName"], {"Ref": self.functions["order-summary"][0]})
        self.assertEqual(mapping["EventSourceArn"], {"GetAtt": "OrdersQueue.Arn"})
        self.assertEqual(mapping["FunctionResponseTypes"], ["ReportBatchItemFailures"])
        self.assertEqual(mapping["BatchSize"], 10)
        self.assertIn("MaximumConcurrency", mapping["ScalingConfig"])

    def test_migrations_run_at_every_deploy(self):
        migration = self.resources["DatabaseMigration"]
        logical_id = self.functions["db-migrate"][0]
        self.assertEqual(migration["Properties"]["ServiceToken"], {"GetAtt": f"{logical_id}.Arn"})
        self.assertEqual(migration["Properties"]["DeployNonce"], {"Ref": "DeployNonce"})

    def test_webhook_deliveries_are_consumed_with_partial_failures_and_dead_lettered(self):
        queue = self.resources["WebhookDeliveriesQueue"]["Properties"]
        deliver = self.functions["webhook-deliver"][1]["Properties"]
        self.assertGreaterEqual(queue["VisibilityTimeout"], 6 * deliver["Timeout"])
        self.assertEqual(
            queue["RedrivePolicy"]["deadLetterTargetArn"], {"GetAtt": "WebhookDeliveriesDeadLetterQueue.Arn"}
        )
        alarm = self.resources["WebhookDeadLetterAlarm"]["Properties"]
        self.assertEqual(
            alarm["Dimensions"][0]["Value"], {"GetAtt": "WebhookDeliveriesDeadLetterQueue.QueueName"}
        )
        mapping = self.resources["WebhookDeliverQueueMapping"]["Properties"]
        self.assertEqual(mapping["FunctionName"], {"Ref": self.functions["webhook-deliver"][0]})
        self.assertEqual(mapping["FunctionResponseTypes"], ["ReportBatchItemFailures"])
        events = self.functions["webhook-relay"][1]["Properties"]["Events"]
        self.assertTrue(any(e["Type"] in {"Schedule", "ScheduleV2"} for e in events.values()))

    def test_the_relay_and_the_restock_note_run_on_a_schedule(self):
        for name in ("outbox-relay", "restock-advice"):
            with self.subTest(function=name):
                events = self.functions[name][1]["Properties"]["Events"]
                self.assertTrue(any(e["Type"] in {"Schedule", "ScheduleV2"} for e in events.values()))

    def test_metrics_logged_by_the_pipeline_are_counted_and_alarmed(self):
        for filter_id, alarm_id, group_id, source, metric in [
            ("UnprocessableOrderMessagesFilter", "UnprocessableOrderMessagesAlarm", "OrderSummaryLogs",
             "shared/src/summary/consumer.rs", "unprocessable_order_messages"),
            ("SettledStuckSummariesFilter", "SettledStuckSummariesAlarm", "OutboxRelayLogs",
             "shared/src/summary/stuck.rs", "summaries_settled_as_failed"),
            ("RestockNotesFailedFilter", "RestockNotesFailedAlarm", "RestockAdviceLogs",
             "shared/src/restock/advice/mod.rs", "restock_notes_failed"),
            ("RestockNotesSkippedForBudgetFilter", "RestockNotesSkippedForBudgetAlarm", "RestockAdviceLogs",
             "shared/src/restock/advice/mod.rs", "restock_notes_skipped_for_budget"),
        ]:
            with self.subTest(metric=metric):
                code = (sources.REPO / source).read_text()
                self.assertIn(f'"{metric}"', code, "the code logs the metric the filter counts")
                metric_filter = self.resources[filter_id]["Properties"]
                self.assertEqual(metric_filter["LogGroupName"], {"Ref": group_id})
                self.assertIn(f'$.fields.metric = "{metric}"', metric_filter["FilterPattern"])
                transformation = metric_filter["MetricTransformations"][0]
                alarm = self.resources[alarm_id]["Properties"]
                self.assertEqual(alarm["MetricName"], transformation["MetricName"])
                self.assertEqual(alarm["Namespace"], transformation["MetricNamespace"])
                self.assertEqual(alarm["Threshold"], 0)


if __name__ == "__main__":
    unittest.main()
