"""The rest of the deployed surface: the app's security headers, endpoint policies, deletion
protection and verified TLS to the database. Each check also runs on a broken copy."""
import copy
import unittest

import checks
import sources


class Surface(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.template = sources.load_template()

    def broken(self):
        return copy.deepcopy(self.template)

    def security(self, template):
        policy = template["Resources"]["FrontendHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
        return policy["SecurityHeadersConfig"]

    def test_the_app_answers_with_security_headers(self):
        self.assertEqual(checks.headers_policy(self.template), [])

    def test_a_missing_headers_policy_is_caught(self):
        template = self.broken()
        behaviour = template["Resources"]["FrontendDistribution"]["Properties"]["DistributionConfig"][
            "DefaultCacheBehavior"
        ]
        del behaviour["ResponseHeadersPolicyId"]
        self.assertEqual(checks.headers_policy(template), ["the distribution has no response headers policy of its own"])

    def test_a_weakened_policy_is_caught(self):
        for change, expected in [
            (lambda s: s["ContentSecurityPolicy"].update(
                ContentSecurityPolicy={"Sub": "default-src 'self'; connect-src *; frame-ancestors 'none'"}),
             "CSP: connect-src"),
            (lambda s: s["ContentSecurityPolicy"].update(
                ContentSecurityPolicy={"Sub": s["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Sub"].replace(
                    "frame-ancestors 'none'", "frame-ancestors *")}),
             "CSP: frame-ancestors"),
            (lambda s: s.pop("StrictTransportSecurity"), "HSTS"),
            (lambda s: s.pop("ContentTypeOptions"), "nosniff"),
            (lambda s: s["ReferrerPolicy"].update(ReferrerPolicy="unsafe-url"), "referrer policy"),
        ]:
            with self.subTest(expected=expected):
                template = self.broken()
                change(self.security(template))
                problems = checks.headers_policy(template)
                self.assertTrue(any(p.startswith(expected) for p in problems), problems)

    def test_cors_naming_the_distribution_is_caught(self):
        template = self.broken()
        template["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]["AllowOrigins"].append(
            {"Sub": "https://${FrontendDistribution.DomainName}"}
        )
        self.assertTrue(any("circular" in p for p in checks.headers_policy(template)))

    def test_endpoints_reach_only_the_stacks_own_queues_secrets_and_answers(self):
        self.assertEqual(checks.endpoint_policies(self.template), [])

    def test_a_wider_endpoint_policy_is_caught(self):
        for endpoint, change in [
            ("SqsEndpoint", lambda p: p.pop("PolicyDocument")),
            ("SqsEndpoint", lambda p: p["PolicyDocument"]["Statement"][0].update(Resource="*")),
            ("SecretsManagerEndpoint", lambda p: p["PolicyDocument"]["Statement"][0]["Resource"].pop()),
            ("S3GatewayEndpoint", lambda p: p["PolicyDocument"]["Statement"][0].update(
                Resource={"Sub": "arn:${AWS::Partition}:s3:::some-bucket/*"})),
        ]:
            with self.subTest(endpoint=endpoint):
                template = self.broken()
                change(template["Resources"][endpoint]["Properties"])
                problems = checks.endpoint_policies(template)
                self.assertTrue(any(p.startswith(endpoint) for p in problems), problems)

    def test_a_new_queue_outside_the_endpoint_policy_is_caught(self):
        template = self.broken()
        template["Resources"]["AnotherQueue"] = {"Type": "AWS::SQS::Queue", "Properties": {}}
        self.assertTrue(any("SqsEndpoint" in p for p in checks.endpoint_policies(template)))

    def test_deletion_protection_defaults_on_and_tls_verifies_the_server(self):
        self.assertEqual(checks.protection_and_tls(self.template), [])

    def test_protection_off_or_unverified_tls_is_caught(self):
        for change, expected in [
            (lambda t: t["Parameters"]["DeletionProtection"].update(Default="false"), "DeletionProtection does not"),
            (lambda t: t["Resources"]["HealthLogs"]["Properties"].pop("DeletionProtectionEnabled"), "HealthLogs"),
            (lambda t: t["Globals"]["Function"]["Environment"]["Variables"].update(
                DATABASE_URL={"Sub": "postgres://${DbProxy.Endpoint}:5432/shop?sslmode=require"}), "DATABASE_URL"),
        ]:
            with self.subTest(expected=expected):
                template = self.broken()
                change(template)
                problems = checks.protection_and_tls(template)
                self.assertTrue(any(p.startswith(expected) for p in problems), problems)


if __name__ == "__main__":
    unittest.main()
