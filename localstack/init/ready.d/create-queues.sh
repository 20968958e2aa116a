#!/usr/bin/env bash
# LocalStack init hook: the orders queue and its dead-letter queue, as in AWS and under moto.
set -euo pipefail
AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  python3 /etc/localstack/create_queues.py --endpoint http://localhost:4566 --region "${AWS_DEFAULT_REGION:-us-east-1}"
