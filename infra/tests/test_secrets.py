"""No secret in any environment; each function may read exactly its own secrets; every database
role signs in with its own secret. Each check is also run on a template broken on purpose."""
import copy
import unittest

import checks
import sources


class Secrets(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.template = sources.load_template()
        cls.functions = sources.template_functions(cls.template)

    def broken(self):
        return copy.deepcopy(self.template)

    def function(self, template, name):
        return sources.template_functions(template)[name][1]

    def test_no_secret_is_resolved_into_an_environment(self):
        self.assertEqual(checks.secrets_in_environment(self.template), [])

    def test_a_resolved_secret_in_an_environment_is_caught(self):
        for scope in ["products-list", "Globals"]:
            with self.subTest(scope=scope):
                template = self.broken()
                props = (
                    template["Globals"]["Function"]
                    if scope == "Globals"
                    else self.function(template, scope)["Properties"]
                )
                props["Environment"]["Variables"]["JWT_PUBLIC_KEY"] = {
                    "Sub": "{{resolve:secretsmanager:${JwtPublicKeySecretArn}}}"
                }
                self.assertTrue(checks.secrets_in_environment(template))

    def test_each_function_may_read_exactly_the_secrets_it_needs(self):
        self.assertEqual(checks.secret_access(self.template), [])

    def test_a_secret_a_function_does_not_need_is_caught(self):
        template = self.broken()
        statement = self.function(template, "products-list")["Properties"]["Policies"][0]["Statement"][0]
        statement["Resource"].append({"Ref": "JwtPrivateKeySecretArn"})
        problems = checks.secret_access(template)
        self.assertTrue(any("products-list: may read secrets it does not need" in p for p in problems), problems)

    def test_another_roles_database_secret_is_caught(self):
        template = self.broken()
        props = self.function(template, "orders-get")["Properties"]
        props["Environment"]["Variables"]["DATABASE_SECRET_ARN"] = {"Ref": "AuthDbSecret"}
        props["Policies"][0]["Statement"][0]["Resource"] = [{"Ref": "JwtPublicKeySecretArn"}, {"Ref": "AuthDbSecret"}]
        problems = checks.secret_access(template)
        self.assertTrue(any(p.startswith("orders-get:") for p in problems), problems)

    def test_a_wildcard_secret_grant_is_caught(self):
        template = self.broken()
        self.function(template, "health")["Properties"]["Policies"].append(
            {"Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}
        )
        problems = checks.secret_access(template)
        self.assertTrue(any("health: broad secret access" in p for p in problems), problems)

    def test_only_login_holds_the_private_key_and_only_the_ai_functions_the_provider_key(self):
        for name, (_, resource) in self.functions.items():
            readable, _ = checks.readable_secrets(resource)
            with self.subTest(function=name):
                self.assertEqual("JwtPrivateKeySecretArn" in readable, name == "auth-login")
                self.assertEqual("OpenRouterApiKeySecretArn" in readable, name in checks.PROVIDER_KEY_READERS)
                self.assertEqual("AdminSecret" in readable, name == "db-migrate")
                self.assertEqual("DbSecret" in readable, name == "db-migrate")

    def test_every_role_has_its_own_secret_on_the_proxy(self):
        self.assertEqual(checks.database_roles_on_the_proxy(self.template), [])

    def test_a_role_missing_from_the_proxy_is_caught(self):
        template = self.broken()
        auth = template["Resources"]["DbProxy"]["Properties"]["Auth"]
        auth[:] = [entry for entry in auth if entry["SecretArn"] != {"Ref": "RelayDbSecret"}]
        self.assertEqual(checks.database_roles_on_the_proxy(template), ["RelayDbSecret is not registered on the proxy"])

    def test_roles_turned_off_are_caught(self):
        template = self.broken()
        template["Globals"]["Function"]["Environment"]["Variables"]["DATABASE_ROLES"] = "off"
        self.assertTrue(checks.database_roles_on_the_proxy(template))


if __name__ == "__main__":
    unittest.main()
