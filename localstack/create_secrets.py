#!/usr/bin/env python3
"""Puts the local secrets into a local Secrets Manager API (moto beside SQS, or LocalStack) and
prints `VARIABLE=ARN` for each, so the functions read them by ARN exactly as in AWS.

    create_secrets.py --endpoint URL JWT_PRIVATE_KEY=path/to/file JWT_PUBLIC_KEY=path OPENROUTER_API_KEY=-

Each argument is NAME=SOURCE: the secret `shop/<name>` gets the text of the file SOURCE, or with
`-` the value of the environment variable NAME (which the caller then unsets). The printed
variable is NAME_SECRET_ARN. Safe to run again: an existing secret gets the new value.
"""
import argparse
import os
import sys

import boto3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", default=os.environ.get("AWS_ENDPOINT_URL_SECRETS_MANAGER"))
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    parser.add_argument("secrets", nargs="+", metavar="NAME=SOURCE")
    args = parser.parse_args()

    client = boto3.client(
        "secretsmanager",
        endpoint_url=args.endpoint,
        region_name=args.region,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
    )
    for spec in args.secrets:
        name, _, source = spec.partition("=")
        if source == "-":
            value = os.environ.get(name, "")
        else:
            with open(source, encoding="utf-8") as file:
                value = file.read()
        if not value.strip():
            sys.exit(f"create_secrets: {name} is empty")
        secret_id = "shop/" + name.lower().replace("_", "-")
        try:
            arn = client.create_secret(Name=secret_id, SecretString=value)["ARN"]
        except client.exceptions.ResourceExistsException:
            arn = client.put_secret_value(SecretId=secret_id, SecretString=value)["ARN"]
        print(f"{name}_SECRET_ARN={arn}")


if __name__ == "__main__":
    main()
