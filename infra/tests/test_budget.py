"""The connection budget: what the functions may hold fits in what RDS Proxy may open."""
import copy
import unittest

import checks
import sources


class ConnectionBudget(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.template = sources.load_template()

    def test_the_functions_fit_in_the_proxys_connections(self):
        used, available, problems = checks.connection_budget(self.template)
        print(f"connection budget: functions may hold {used} of the proxy's {available} connections")
        self.assertEqual(problems, [])
        self.assertLessEqual(used, available)

    def test_an_exceeded_budget_is_caught(self):
        template = copy.deepcopy(self.template)
        _, available, _ = checks.connection_budget(template)
        props = sources.template_functions(template)["products-list"][1]["Properties"]
        props["ReservedConcurrentExecutions"] += available
        _, _, problems = checks.connection_budget(template)
        self.assertTrue(any("RDS Proxy opens at most" in p for p in problems), problems)

    def test_a_database_function_without_reserved_concurrency_is_caught(self):
        template = copy.deepcopy(self.template)
        del sources.template_functions(template)["orders-get"][1]["Properties"]["ReservedConcurrentExecutions"]
        _, _, problems = checks.connection_budget(template)
        self.assertIn("orders-get uses the database without a reserved concurrency", problems)

    def test_the_written_figures_follow_the_template(self):
        template = copy.deepcopy(self.template)
        template["Parameters"]["DbMaxConnections"]["Default"] = 40
        _, _, problems = checks.connection_budget(template)
        self.assertTrue(any("Metadata.ConnectionBudget says" in p for p in problems), problems)

    def test_each_queue_mapping_stays_within_its_functions_concurrency(self):
        by_logical_id = {logical_id: resource for logical_id, resource in sources.template_functions(self.template).values()}
        mappings = [r["Properties"] for r in self.template["Resources"].values() if r["Type"] == "AWS::Lambda::EventSourceMapping"]
        self.assertTrue(mappings)
        for mapping in mappings:
            function = by_logical_id[mapping["FunctionName"]["Ref"]]["Properties"]
            with self.subTest(function=function["FunctionName"]):
                self.assertLessEqual(
                    mapping["ScalingConfig"]["MaximumConcurrency"], function["ReservedConcurrentExecutions"]
                )


if __name__ == "__main__":
    unittest.main()
