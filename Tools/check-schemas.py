#!/usr/bin/env python3
"""Validate events against the published JSON Schemas in Schemas/, independently of the Swift code.

Usage:
    python3 Tools/check-schemas.py [EVENTS.jsonl]

Always checks that every schema is a valid draft 2020-12 schema and that each of its examples
validates. With a JSON Lines file of input events (for example what the Swift code encodes), each
line must validate against the schema of its type and version; lines whose first member is
"expectInvalid": true must NOT validate. Needs the `jsonschema` package (pip install jsonschema).
Exit status 0 when everything agrees, 1 otherwise, with one line per disagreement.
"""
import json
import pathlib
import sys

import jsonschema
from referencing import Registry, Resource

ROOT = pathlib.Path(__file__).resolve().parent.parent / "Schemas"


def load():
    resources, by_type = [], {}
    for path in sorted(ROOT.rglob("*.schema.json")):
        schema = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        resources.append((schema["$id"], Resource.from_contents(schema)))
        props = schema.get("properties", {})
        if "const" in props.get("type", {}):
            by_type[(props["type"]["const"], props["schemaVersion"]["const"])] = schema
    return Registry().with_resources(resources), by_type


def current_versions(by_type):
    versions = {}
    for (event_type, version) in by_type:
        versions[event_type] = max(version, versions.get(event_type, 0))
    return versions


def validator(registry, schema):
    return jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())


def main():
    registry, by_type = load()
    current = current_versions(by_type)
    failures = 0
    for (event_type, version), schema in sorted(by_type.items()):
        for example in schema.get("examples", []):
            for error in validator(registry, schema).iter_errors(example):
                print(f"{event_type} v{version}: example does not validate: {error.message}")
                failures += 1
    checked = 0
    if len(sys.argv) > 1:
        for number, line in enumerate(pathlib.Path(sys.argv[1]).read_text().splitlines(), 1):
            if not line.strip():
                continue
            event = json.loads(line)
            expect_invalid = event.pop("expectInvalid", False)
            key = (event.get("type"), event.get("schemaVersion", current.get(event.get("type"))))
            schema = by_type.get(key)
            errors = [] if schema is None else list(validator(registry, schema).iter_errors(event))
            valid = schema is not None and not errors
            if valid == expect_invalid:
                what = "validates but should not" if expect_invalid else ("has no schema" if schema is None else errors[0].message)
                print(f"line {number} ({key[0]} v{key[1]}): {what}")
                failures += 1
            checked += 1
    print(f"{len(by_type)} schemas, {checked} events checked, {failures} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
