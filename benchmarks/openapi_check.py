"""Validate every ``*.openapi.yaml`` under a directory with openapi-spec-validator
and check each example against its schema with jsonschema:
``python benchmarks/openapi_check.py OUTDIR``."""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import yaml
from openapi_spec_validator import validate


def main(outdir: str) -> None:
    invalid = operations = examples = failing = 0
    for path in sorted(Path(outdir).rglob("*.openapi.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            validate(document)
        except Exception as exc:  # noqa: BLE001 - report and go on
            invalid += 1
            print("INVALID", path, str(exc)[:500])
        for item in document["paths"].values():
            for method, operation in item.items():
                if method.startswith("x-"):
                    continue
                operations += 1
                bodies = [operation.get("requestBody", {})]
                bodies += list(operation.get("responses", {}).values())
                for body in bodies:
                    content = body.get("content", {}).get("application/json")
                    if content is None:
                        continue
                    validator = jsonschema.Draft202012Validator(content["schema"])
                    for example in content.get("examples", {}).values():
                        examples += 1
                        failing += any(True for _error in validator.iter_errors(example["value"]))
    print(
        f"documents invalid: {invalid}, operations: {operations}, "
        f"examples checked: {examples}, failing jsonschema: {failing}"
    )


if __name__ == "__main__":
    main(sys.argv[1])
