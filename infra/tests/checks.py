"""Least-privilege checks over the parsed template, each returning the problems it finds (an
empty list: the template keeps the promise). The test_*.py files run them on the real template
and on copies broken on purpose, so each check is shown to catch what it is for.
"""
from __future__ import annotations

import re

import sources

SECRET_ACTIONS = ("secretsmanager:",)
# The database role of each function outside shared/src/functions.rs (their mains say it).
NON_HTTP_ROLES = {
    "order-summary": "Summary",
    "outbox-relay": "Relay",
    "restock-advice": "Advice",
    "webhook-relay": "Webhooks",
    "webhook-deliver": "Webhooks",
}
ROLE_SECRETS = {
    "Health": "HealthDbSecret",
    "Auth": "AuthDbSecret",
    "Catalogue": "CatalogueDbSecret",
    "Orders": "OrdersDbSecret",
    "Summary": "SummaryDbSecret",
    "Relay": "RelayDbSecret",
    "Webhooks": "WebhooksDbSecret",
    "Advice": "AdviceDbSecret",
}
# The functions that call the AI provider: the only ones that may read its key.
PROVIDER_KEY_READERS = {"order-summary", "restock-advice"}
ROLE_NAMES = {role: f"shop_{role.lower()}" for role in ROLE_SECRETS}


def http_roles() -> dict[str, str | None]:
    """Function name -> its DbRole variant (None: no database), from shared/src/functions.rs."""
    source = (sources.REPO / "shared" / "src" / "functions.rs").read_text()
    return {
        match.group(1): match.group(3)
        for match in re.finditer(r'name: "([a-z-]+)",\s*database: (None|Some\(DbRole::(\w+)\))', source)
    }


def function_roles() -> dict[str, str | None]:
    return {**http_roles(), **NON_HTTP_ROLES, "db-migrate": None}


def environment(template: dict, resource: dict) -> dict:
    merged = dict(template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {}))
    merged.update(resource["Properties"].get("Environment", {}).get("Variables", {}))
    return merged


def refs(value) -> set[str]:
    """Every logical id or parameter a value names with Ref (both branches of an If)."""
    found = set()
    if isinstance(value, dict):
        if set(value) == {"Ref"} and isinstance(value["Ref"], str):
            if not value["Ref"].startswith("AWS::"):
                found.add(value["Ref"])
        else:
            for inner in value.values():
                found |= refs(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= refs(inner)
    return found


def _statements(resource: dict):
    for policy in resource["Properties"].get("Policies", []) or []:
        if isinstance(policy, dict) and "Statement" in policy:
            yield from policy["Statement"]
        elif isinstance(policy, dict) and "AWSSecretsManagerGetSecretValuePolicy" in policy:
            arn = policy["AWSSecretsManagerGetSecretValuePolicy"]["SecretArn"]
            yield {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": arn}


def readable_secrets(resource: dict) -> tuple[set[str], list[str]]:
    """The secrets a function's policies let it read (by logical id or parameter), and any
    statement that grants Secrets Manager more broadly than named secrets."""
    readable, broad = set(), []
    for statement in _statements(resource):
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if not any(action.startswith(SECRET_ACTIONS) or action == "*" for action in actions):
            continue
        if statement.get("Effect") != "Allow":
            continue
        resources = statement.get("Resource")
        if resources == "*" or "*" in repr(resources) or any(action.endswith("*") for action in actions):
            broad.append(f"{statement.get('Sid', '?')}: {actions} on {resources}")
        named = refs(resources)
        if not named:
            broad.append(f"{statement.get('Sid', '?')}: secrets named other than by Ref: {resources}")
        readable |= named
    return readable, broad


def needed_secrets(name: str, role: str | None, http: bool) -> set[str]:
    needed = set()
    if http:
        needed.add("JwtPublicKeySecretArn")
    if name == "auth-login":
        needed.add("JwtPrivateKeySecretArn")
    if name in PROVIDER_KEY_READERS:
        needed.add("OpenRouterApiKeySecretArn")
    if name in {"webhooks-create", "webhook-deliver"}:
        needed.add("WebhookSecretsKeySecretArn")
    if role:
        needed.add(ROLE_SECRETS[role])
    if name == "db-migrate":
        needed |= {"DbSecret", "AdminSecret", *ROLE_SECRETS.values()}
    return needed


def secrets_in_environment(template: dict) -> list[str]:
    """Environment variables whose value CloudFormation would resolve from a secret store."""
    problems = []
    scopes = [("Globals", template.get("Globals", {}).get("Function", {}))]
    scopes += [(name, resource["Properties"]) for name, (_, resource) in sources.template_functions(template).items()]
    for scope, props in scopes:
        for variable, value in (props.get("Environment", {}).get("Variables", {}) or {}).items():
            text = repr(value)
            if "resolve:secretsmanager" in text or "resolve:ssm-secure" in text:
                problems.append(f"{scope}: {variable} is resolved from a secret at deploy time")
    return problems


def secret_access(template: dict) -> list[str]:
    """Each function may read exactly the secrets it needs, and names them in its environment."""
    problems = []
    roles = function_roles()
    for name, (_, resource) in sources.template_functions(template).items():
        events = resource["Properties"].get("Events", {}) or {}
        http = any(event.get("Type") == "HttpApi" for event in events.values())
        if name not in roles:
            problems.append(f"{name}: no database role is known for it")
            continue
        needed = needed_secrets(name, roles[name], http)
        readable, broad = readable_secrets(resource)
        problems += [f"{name}: broad secret access {entry}" for entry in broad]
        if extra := readable - needed:
            problems.append(f"{name}: may read secrets it does not need: {sorted(extra)}")
        if missing := needed - readable:
            problems.append(f"{name}: may not read secrets it needs: {sorted(missing)}")
        env = environment(template, resource)
        named = set()
        for variable, value in env.items():
            if variable.endswith("_SECRET_ARN"):
                named |= refs(value)
        # db-migrate learns the role secrets from its custom resource's RoleSecrets instead.
        expected_names = needed - (set(ROLE_SECRETS.values()) if name == "db-migrate" else set())
        if named != expected_names:
            problems.append(f"{name}: its *_SECRET_ARN variables name {sorted(named)}, not {sorted(expected_names)}")
        role = roles[name]
        if role and refs(env.get("DATABASE_SECRET_ARN")) != {ROLE_SECRETS[role]}:
            problems.append(f"{name}: DATABASE_SECRET_ARN is not its role's secret {ROLE_SECRETS[role]}")
    return problems


def database_roles_on_the_proxy(template: dict) -> list[str]:
    """Every role secret names its role, is registered on RDS Proxy and given to db-migrate."""
    problems = []
    resources = template["Resources"]
    proxy_secrets = {entry["SecretArn"]["Ref"] for entry in resources["DbProxy"]["Properties"]["Auth"]}
    role_secrets = resources["DatabaseMigration"]["Properties"].get("RoleSecrets", {})
    for role, logical_id in ROLE_SECRETS.items():
        secret = resources.get(logical_id)
        if not secret or secret["Type"] != "AWS::SecretsManager::Secret":
            problems.append(f"{logical_id} is missing")
            continue
        template_text = secret["Properties"]["GenerateSecretString"]["SecretStringTemplate"]
        if f'"{ROLE_NAMES[role]}"' not in template_text:
            problems.append(f"{logical_id} is not the secret of {ROLE_NAMES[role]}")
        if logical_id not in proxy_secrets:
            problems.append(f"{logical_id} is not registered on the proxy")
        if role_secrets.get(ROLE_NAMES[role]) != {"Ref": logical_id}:
            problems.append(f"RoleSecrets does not give {ROLE_NAMES[role]} its secret {logical_id}")
    if "DATABASE_ROLES" in environment(template, {"Properties": {}}):
        problems.append("DATABASE_ROLES is set: functions would not sign in as their roles")
    return problems


def connection_budget(template: dict) -> tuple[int, int, list[str]]:
    """(connections the functions may hold, connections RDS Proxy may open, problems)."""
    problems = []
    budget = template.get("Metadata", {}).get("ConnectionBudget", {})
    max_connections = template["Parameters"]["DbMaxConnections"]["Default"]
    percent = template["Resources"]["DbProxyTargetGroup"]["Properties"]["ConnectionPoolConfigurationInfo"][
        "MaxConnectionsPercent"
    ]
    reserved = int(budget.get("ReservedConnections", 0))
    available = max_connections * percent // 100 - reserved
    used = 0
    for name, (_, resource) in sources.template_functions(template).items():
        props = resource["Properties"]
        if "DATABASE_SECRET_ARN" not in environment(template, resource):
            continue
        concurrency = props.get("ReservedConcurrentExecutions")
        if not isinstance(concurrency, int):
            problems.append(f"{name} uses the database without a reserved concurrency")
            continue
        used += concurrency
    if used > available:
        problems.append(
            f"the functions may hold {used} connections, RDS Proxy opens at most {available}"
            f" ({percent}% of {max_connections} less {reserved} reserved)"
        )
    if budget.get("FunctionConnections") != used or budget.get("ProxyConnections") != available:
        problems.append(
            f"Metadata.ConnectionBudget says {budget.get('FunctionConnections')} of"
            f" {budget.get('ProxyConnections')}, the template gives {used} of {available}"
        )
    return used, available, problems


def headers_policy(template: dict) -> list[str]:
    """The app's distribution answers with the security headers."""
    problems = []
    resources = template["Resources"]
    behaviour = resources["FrontendDistribution"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
    policy_ref = behaviour.get("ResponseHeadersPolicyId", {})
    policy = resources.get(policy_ref.get("Ref", "")) if isinstance(policy_ref, dict) else None
    if not policy or policy.get("Type") != "AWS::CloudFront::ResponseHeadersPolicy":
        return ["the distribution has no response headers policy of its own"]
    security = policy["Properties"]["ResponseHeadersPolicyConfig"].get("SecurityHeadersConfig", {})
    csp_value = security.get("ContentSecurityPolicy", {}).get("ContentSecurityPolicy", "")
    csp_text = csp_value.get("Sub", "") if isinstance(csp_value, dict) else csp_value
    directives = {}
    for part in csp_text.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append("CSP: frame-ancestors is not 'none'")
    if directives.get("default-src") != ["'self'"]:
        problems.append("CSP: default-src is not 'self'")
    api_origin = "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
    if sorted(directives.get("connect-src", [])) != sorted(["'self'", api_origin]):
        problems.append(f"CSP: connect-src is {directives.get('connect-src')}, not the app and the API")
    if not security.get("ContentSecurityPolicy", {}).get("Override"):
        problems.append("CSP: does not override the origin's header")
    hsts = security.get("StrictTransportSecurity", {})
    if not hsts.get("Override") or hsts.get("AccessControlMaxAgeSec", 0) < 31536000:
        problems.append("HSTS: missing or shorter than a year")
    if not security.get("ContentTypeOptions", {}).get("Override"):
        problems.append("nosniff: missing")
    if security.get("ReferrerPolicy", {}).get("ReferrerPolicy") not in {
        "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"
    }:
        problems.append("referrer policy: missing or leaks full URLs across origins")
    if security.get("FrameOptions", {}).get("FrameOption") != "DENY":
        problems.append("X-Frame-Options: not DENY")
    cors = resources["HttpApi"]["Properties"]["CorsConfiguration"]["AllowOrigins"]
    if "FrontendDistribution" in repr(cors):
        problems.append("the API's CORS names the distribution: a circular reference with the CSP")
    if "AppOrigin" not in refs(cors):
        problems.append("the API's CORS does not allow the app's origin (AppOrigin)")
    return problems


def endpoint_policies(template: dict) -> list[str]:
    """VPC endpoints reach only this stack's queues, secrets and the custom resource answers."""
    problems = []
    resources = template["Resources"]
    queues = {logical_id for logical_id, r in resources.items() if r["Type"] == "AWS::SQS::Queue"}
    secrets = {logical_id for logical_id, r in resources.items() if r["Type"] == "AWS::SecretsManager::Secret"}
    secrets |= {name for name in template["Parameters"] if name.endswith("SecretArn")}
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::EC2::VPCEndpoint":
            continue
        props = resource["Properties"]
        policy = props.get("PolicyDocument")
        if not policy:
            problems.append(f"{logical_id}: no endpoint policy (the default allows everything)")
            continue
        service = repr(props["ServiceName"])
        for statement in policy["Statement"]:
            resource_text = repr(statement.get("Resource"))
            if statement.get("Resource") == "*" or "'*'" in resource_text:
                problems.append(f"{logical_id}: a statement on every resource")
            if service.endswith(".sqs'}"):
                named = {value["GetAtt"].split(".")[0] for value in statement["Resource"] if "GetAtt" in value}
                if named != queues:
                    problems.append(f"{logical_id}: reaches queues {sorted(named)}, the stack has {sorted(queues)}")
            elif service.endswith(".secretsmanager'}"):
                named = refs(statement["Resource"])
                if named != secrets:
                    problems.append(f"{logical_id}: reaches secrets {sorted(named)}, the stack's are {sorted(secrets)}")
            elif service.endswith(".s3'}"):
                if "cloudformation-custom-resource-response-" not in resource_text:
                    problems.append(f"{logical_id}: reaches buckets other than the custom resource answers")
    return problems


def protection_and_tls(template: dict) -> list[str]:
    problems = []
    resources = template["Resources"]
    if template["Parameters"]["DeletionProtection"]["Default"] != "true":
        problems.append("DeletionProtection does not default to on")
    if resources["Database"]["Properties"].get("DeletionProtection") != {"Ref": "DeletionProtection"}:
        problems.append("the database's deletion protection does not follow DeletionProtection")
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::Logs::LogGroup" and resource["Properties"].get(
            "DeletionProtectionEnabled"
        ) != {"Ref": "DeletionProtection"}:
            problems.append(f"{logical_id}: deletion protection does not follow DeletionProtection")
    url = repr(template["Globals"]["Function"]["Environment"]["Variables"].get("DATABASE_URL"))
    if "sslmode=verify-full" not in url:
        problems.append("DATABASE_URL does not verify the server's certificate (sslmode=verify-full)")
    if "@" in url:
        problems.append("DATABASE_URL carries credentials")
    return problems
