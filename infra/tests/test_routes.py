"""The deployed API, the local router and the API description must list the same routes.

The template is compared with the Cargo router exactly, (METHOD, path, function). With OPENAPI_JSON
set to a file holding GET /openapi.json's answer, both are also compared with the OpenAPI document
on (METHOD, path). Without it, that comparison is skipped and says so.
"""
import os
import unittest
from pathlib import Path

import sources


def _rows(routes) -> str:
    return "\n".join("    " + " ".join(route) for route in sorted(routes)) or "    (none)"


def _difference(left_name, left, right_name, right) -> str:
    return (
        f"\n  only in {left_name}:\n{_rows(left - right)}"
        f"\n  only in {right_name}:\n{_rows(right - left)}"
    )


class RoutesAgree(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.template = sources.load_template()
        cls.template_routes = sources.template_routes(cls.template)
        cls.router_routes = sources.router_routes()

    def test_template_routes_equal_the_cargo_router(self):
        self.assertEqual(
            self.template_routes,
            self.router_routes,
            "template.yaml HttpApi routes differ from Cargo.toml's router"
            + _difference("template", self.template_routes, "Cargo router", self.router_routes),
        )

    def test_no_route_is_served_twice(self):
        for name, routes in (("template", self.template_routes), ("Cargo router", self.router_routes)):
            keys = [(method, path) for method, path, _ in routes]
            duplicates = {key for key in keys if keys.count(key) > 1}
            self.assertFalse(duplicates, f"{name} routes one (METHOD, path) to two functions: {duplicates}")

    def test_openapi_lists_the_same_routes(self):
        openapi_json = os.environ.get("OPENAPI_JSON")
        if not openapi_json:
            self.skipTest("OPENAPI_JSON unset: compared template vs Cargo router only")
        operations = sources.openapi_operations(Path(openapi_json))
        for name, routes in (("template", self.template_routes), ("Cargo router", self.router_routes)):
            pairs = {(method, path) for method, path, _ in routes}
            with self.subTest(against=name):
                self.assertEqual(
                    pairs,
                    operations,
                    f"{name} routes differ from {openapi_json}"
                    + _difference(name, pairs, "OpenAPI", operations),
                )


class FunctionsAgree(unittest.TestCase):
    def test_every_function_crate_has_a_template_resource_and_back(self):
        deployed = set(sources.template_functions(sources.load_template()))
        crates = sources.function_dirs()
        self.assertEqual(
            deployed,
            crates,
            "functions/* and the template's AWS::Serverless::Function resources differ"
            + _difference("template", {(n,) for n in deployed}, "functions/", {(n,) for n in crates}),
        )


if __name__ == "__main__":
    unittest.main()
