"""Reads the three places that list the shop's routes, each as a set of (METHOD, path, function).

  template   infra/template.yaml: the HttpApi events of each AWS::Serverless::Function, named by
             the function's BuildProperties.Binary
  router     Cargo.toml [workspace.metadata.lambda.watch.router]: what `cargo lambda watch` serves
  openapi    the document GET /openapi.json returns (its operations name handlers, not functions,
             so its rows carry no function: compare them on (METHOD, path))

Paths are compared as written: all three use `{id}`-style parameters.
Overrides for checking other copies: SHOP_TEMPLATE, SHOP_CARGO_TOML, SHOP_FUNCTIONS_DIR.
"""
from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = Path(os.environ.get("SHOP_TEMPLATE", REPO / "infra" / "template.yaml"))
CARGO_TOML = Path(os.environ.get("SHOP_CARGO_TOML", REPO / "Cargo.toml"))
FUNCTIONS_DIR = Path(os.environ.get("SHOP_FUNCTIONS_DIR", REPO / "functions"))

HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


class _TemplateLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (!Ref, !Sub, !If ...) kept as {"Fn": value}."""


def _cfn_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {suffix: value}


_TemplateLoader.add_multi_constructor("!", _cfn_tag)


def load_template(path: Path = TEMPLATE) -> dict:
    with open(path, encoding="utf-8") as file:
        return yaml.load(file, Loader=_TemplateLoader)  # noqa: S506 - a SafeLoader subclass


def template_functions(template: dict) -> dict[str, tuple[str, dict]]:
    """Binary name -> (logical id, resource) of every AWS::Serverless::Function."""
    functions = {}
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        binary = resource.get("Metadata", {}).get("BuildProperties", {}).get("Binary")
        if not binary:
            raise AssertionError(f"{logical_id} has no Metadata.BuildProperties.Binary")
        functions[binary] = (logical_id, resource)
    return functions


def template_routes(template: dict) -> set[tuple[str, str, str]]:
    routes = set()
    for binary, (_, resource) in template_functions(template).items():
        for event in resource.get("Properties", {}).get("Events", {}).values():
            if event.get("Type") != "HttpApi":
                continue
            props = event.get("Properties", {})
            routes.add((props["Method"].upper(), props["Path"], binary))
    return routes


def router_routes(path: Path = CARGO_TOML) -> set[tuple[str, str, str]]:
    with open(path, "rb") as file:
        cargo = tomllib.load(file)
    router = cargo["workspace"]["metadata"]["lambda"]["watch"]["router"]
    routes = set()
    for route_path, target in router.items():
        # cargo-lambda accepts a function name (every method), one table, or a list of tables.
        if isinstance(target, str):
            targets = [{"method": "ANY", "function": target}]
        elif isinstance(target, dict):
            targets = [target]
        else:
            targets = target
        for entry in targets:
            routes.add((entry.get("method", "ANY").upper(), route_path, entry["function"]))
    return routes


def openapi_operations(path: Path) -> set[tuple[str, str]]:
    with open(path, encoding="utf-8") as file:
        document = json.load(file)
    return {
        (method.upper(), route_path)
        for route_path, item in document.get("paths", {}).items()
        for method in item
        if method.upper() in HTTP_METHODS
    }


def function_dirs(path: Path = FUNCTIONS_DIR) -> set[str]:
    """Every Lambda binary: one file per function in functions/src/bin/."""
    return {source.stem for source in sorted((path / "src" / "bin").glob("*.rs"))}
