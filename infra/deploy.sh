#!/usr/bin/env bash
# Deploys the shop to AWS: build the functions (sam build), create or update the stack
# (sam deploy; migrations and the admin bootstrap run inside it), then build the frontend
# against the stack's API URL, upload it and invalidate CloudFront. Safe to run again.
#
# Settings, from the environment or infra/.env (KEY=value lines; that file is git-ignored):
#   STACK_NAME                  stack name (default from samconfig.toml: shop)
#   AWS_REGION                  region (default from samconfig.toml)
#   ADMIN_EMAIL                 admin account ensured at every deploy (password: the AdminSecret)
#   FRONTEND_ORIGIN             an extra origin for the API's CORS, e.g. https://shop.example.com
#   ALARM_EMAIL                 where the dead-letter alarm is mailed
#   JWT_PRIVATE_KEY_SECRET      Secrets Manager name of the private key (default shop/jwt-private-key)
#   JWT_PUBLIC_KEY_SECRET       Secrets Manager name of the public key  (default shop/jwt-public-key)
#   OPENROUTER_API_KEY_SECRET   Secrets Manager name of the OpenRouter key; set = AI summaries on
#   WEBHOOK_SECRETS_KEY_SECRET  Secrets Manager name of the webhook secrets key (default shop/webhook-secrets-key)
#                               (the stack gets each secret's ARN: its functions may read only those)
#   OPENROUTER_MODEL            model for the summaries
#   DB_INSTANCE_CLASS           e.g. db.t4g.small (default db.t4g.micro)
#   DELETION_PROTECTION         false to allow tear-down (default true: the database and the logs)
#   SKIP_FRONTEND=1             deploy the stack only
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
infra="$root/infra"
export PATH="$root/.local/venv/bin:$PATH"

if [ -f "$infra/.env" ]; then
    set -a
    # shellcheck disable=SC1091
    . "$infra/.env"
    set +a
fi

for tool in sam aws cargo-lambda; do
    if ! command -v "$tool" >/dev/null; then
        echo "deploy: '$tool' not found (infra/README.md lists the prerequisites)" >&2
        exit 1
    fi
done

stack="${STACK_NAME:-shop}"
region_args=()
if [ -n "${AWS_REGION:-}" ]; then
    region_args=(--region "$AWS_REGION")
fi
private_secret="${JWT_PRIVATE_KEY_SECRET:-shop/jwt-private-key}"
public_secret="${JWT_PUBLIC_KEY_SECRET:-shop/jwt-public-key}"
webhook_secret="${WEBHOOK_SECRETS_KEY_SECRET:-shop/webhook-secrets-key}"

# The key pair is made out of band; fail early and clearly when it is missing. The template takes
# ARNs, so each function's policy can name exactly its secrets.
secret_arn() {
    if ! aws secretsmanager describe-secret "${region_args[@]}" --secret-id "$1" \
        --query ARN --output text 2>/dev/null; then
        echo "deploy: secret '$1' not found in Secrets Manager (infra/README.md, 'JWT key pair')" >&2
        exit 1
    fi
}
private_arn="$(secret_arn "$private_secret")"
public_arn="$(secret_arn "$public_secret")"
webhook_arn="$(secret_arn "$webhook_secret")"
openrouter_arn=""
if [ -n "${OPENROUTER_API_KEY_SECRET:-}" ]; then
    openrouter_arn="$(secret_arn "$OPENROUTER_API_KEY_SECRET")"
fi

output() {
    aws cloudformation describe-stacks "${region_args[@]}" --stack-name "$stack" \
        --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text 2>/dev/null || true
}
# The app's own origin for the API's CORS, from the stack's output (empty before the first
# deploy: the template cannot name its own distribution there, see AppOrigin).
app_origin="$(output FrontendUrl)"
[ "$app_origin" = None ] && app_origin=""

# Only the parameters that are set: the others keep their template defaults on the first
# deploy and their previous values on later ones.
overrides=(
    "JwtPrivateKeySecretArn=$private_arn"
    "JwtPublicKeySecretArn=$public_arn"
    "WebhookSecretsKeySecretArn=$webhook_arn"
    # A new value each deploy: CloudFormation then calls the migration custom resource.
    "DeployNonce=$(date -u +%Y%m%dT%H%M%SZ)"
)
add() { if [ -n "$2" ]; then overrides+=("$1=$2"); fi; }
add AdminEmail "${ADMIN_EMAIL:-}"
add FrontendOrigin "${FRONTEND_ORIGIN:-}"
add AlarmEmail "${ALARM_EMAIL:-}"
add OpenRouterApiKeySecretArn "$openrouter_arn"
add OpenRouterModel "${OPENROUTER_MODEL:-}"
add DbInstanceClass "${DB_INSTANCE_CLASS:-}"
add DeletionProtection "${DELETION_PROTECTION:-${DB_DELETION_PROTECTION:-}}"

cd "$infra"
echo "deploy: sam build (cargo lambda, arm64; the first build takes several minutes)"
sam build --config-file samconfig.toml
echo "deploy: sam deploy to stack '$stack'"
sam deploy --config-file samconfig.toml --stack-name "$stack" "${region_args[@]}" \
    --parameter-overrides "${overrides[*]}" ${app_origin:+"AppOrigin=$app_origin"}

# A first deploy has just made the distribution: deploy once more so the API's CORS allows it
# (only the API changes; the same DeployNonce does not run the migrations again).
if [ "$(output FrontendUrl)" != "$app_origin" ]; then
    app_origin="$(output FrontendUrl)"
    echo "deploy: allowing the app's origin $app_origin in the API's CORS"
    sam deploy --config-file samconfig.toml --stack-name "$stack" "${region_args[@]}" \
        --parameter-overrides "${overrides[*]}" "AppOrigin=$app_origin" --no-fail-on-empty-changeset
fi
api_url="$(output ApiUrl)"
frontend_url="$(output FrontendUrl)"
bucket="$(output FrontendBucketName)"
distribution="$(output FrontendDistributionId)"

if [ "${SKIP_FRONTEND:-0}" != 1 ]; then
    echo "deploy: frontend build with VITE_API_URL=$api_url"
    (cd "$root/frontend" && npm ci --no-audit --no-fund && VITE_API_URL="$api_url" npm run build)
    # Hashed assets are immutable; index.html must be fetched fresh so a deploy shows at once.
    aws s3 sync "${region_args[@]}" "$root/frontend/dist" "s3://$bucket" --delete \
        --exclude index.html --cache-control "public, max-age=31536000, immutable"
    aws s3 cp "${region_args[@]}" "$root/frontend/dist/index.html" "s3://$bucket/index.html" \
        --cache-control "no-cache"
    aws cloudfront create-invalidation --distribution-id "$distribution" --paths "/*" \
        --query Invalidation.Id --output text
fi

cat <<DONE
deploy: done
  API        $api_url   (try: curl $api_url/health)
  frontend   $frontend_url
  admin      password: aws secretsmanager get-secret-value ${region_args[*]} --secret-id $stack/admin --query SecretString --output text
DONE
