#!/usr/bin/env bash
# Offline checks of the AWS template: cfn-lint, then the route and least-privilege tests.
# Needs only PyPI: the tools install into .local/infra-venv from infra/requirements.txt.
#   OPENAPI_JSON=path  also compare the routes with that OpenAPI document
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.local/infra-venv"
stamp="$venv/.installed"

if [ ! -f "$stamp" ] || [ "$root/infra/requirements.txt" -nt "$stamp" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet -r "$root/infra/requirements.txt"
    touch "$stamp"
fi

status=0
echo "check-infra: cfn-lint $("$venv/bin/cfn-lint" --version | awk '{print $2}') infra/template.yaml"
if "$venv/bin/cfn-lint" "$root/infra/template.yaml"; then
    echo "check-infra: cfn-lint clean"
else
    echo "check-infra: cfn-lint found problems" >&2
    status=1
fi
"$venv/bin/python" "$root/infra/tests/run.py" || status=1
exit $status
