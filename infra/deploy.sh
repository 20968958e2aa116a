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
#   OPENROUTER_MODEL            model for the summaries
#   DB_INSTANCE_CLASS           e.g. db.t4g.small (default db.t4g.micro)
#   DB_DELETION_PROTECTION      true for production
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

# The key pair is made out of band; fail early and clearly when it is missing.
for secret in "$private_secret" "$public_secret" "$webhook_secret" ${OPENROUTER_API_KEY_SECRET:+"$OPENROUTER_API_KEY_SECRET"}; do
    if ! aws secretsmanager describe-secret "${region_args[@]}" --secret-id "$secret" >/dev/null 2>&1; then
        echo "deploy: secret '$secret' not found in Secrets Manager (infra/README.md, step 2)" >&2
        exit 1
    fi
done

# Only the parameters that are set: the others keep their template defaults on the first
# deploy and their previous values on later ones.
overrides=(
    "JwtPrivateKeySecretName=$private_secret"
    "JwtPublicKeySecretName=$public_secret"
    "WebhookSecretsKeySecretName=$webhook_secret"
    # A new value each deploy: CloudFormation then calls the migration custom resource.
    "DeployNonce=$(date -u +%Y%m%dT%H%M%SZ)"
)
add() { if [ -n "$2" ]; then overrides+=("$1=$2"); fi; }
add AdminEmail "${ADMIN_EMAIL:-}"
add FrontendOrigin "${FRONTEND_ORIGIN:-}"
add AlarmEmail "${ALARM_EMAIL:-}"
add OpenRouterApiKeySecretName "${OPENROUTER_API_KEY_SECRET:-}"
add OpenRouterModel "${OPENROUTER_MODEL:-}"
add DbInstanceClass "${DB_INSTANCE_CLASS:-}"
add DbDeletionProtection "${DB_DELETION_PROTECTION:-}"

cd "$infra"
echo "deploy: sam build (cargo lambda, arm64; the first build takes several minutes)"
sam build --config-file samconfig.toml
echo "deploy: sam deploy to stack '$stack'"
sam deploy --config-file samconfig.toml --stack-name "$stack" "${region_args[@]}" \
    --parameter-overrides "${overrides[*]}"

output() {
    aws cloudformation describe-stacks "${region_args[@]}" --stack-name "$stack" \
        --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
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
