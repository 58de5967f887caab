#!/usr/bin/env python3
"""Fails when a module of Package.swift depends on one above it (issue 14).

The layers, from the bottom: the model, the store, the event catalog, the read models, what sits
beside the service (metrics, importers, audit), the service, and the entry points over it. A module
may depend only on modules of lower layers. A new module must be given a layer here.

    python3 Tools/check-layers.py [Package.swift]
"""
import re
import sys

LAYERS = [
    ["LedgerModel"],
    ["LedgerStore"],
    # The PostgreSQL store beside the catalog: it needs only the model and the store's protocols.
    ["IncidentEvents", "LedgerPostgres"],
    ["IncidentProjections", "IncidentGenerator"],
    ["IncidentMetrics", "IncidentImporters", "LedgerAudit"],
    ["IncidentService"],
    ["IncidentReports"],
    ["IncidentServer"],
    # The executable: its commands, `serve` among them, which runs the server.
    ["IncidentsCLI"],
]
# System libraries are not layered, nor are test targets and test helpers (LedgerTest…).
UNLAYERED = {"CLMDB", "CZlib"}


def targets(manifest):
    """(kind, name, [local dependencies]) for every target in the manifest text."""
    found = []
    for match in re.finditer(r"\.(target|executableTarget|testTarget|systemLibrary)\(", manifest):
        start = match.end()
        depth, index = 1, start
        while depth:
            depth += {"(": 1, ")": -1}.get(manifest[index], 0)
            index += 1
        body = manifest[start:index - 1]
        name = re.search(r'name:\s*"([^"]+)"', body).group(1)
        dependencies = []
        block = re.search(r"dependencies:\s*\[", body)
        if block:
            depth, position = 1, block.end()
            while depth:
                depth += {"[": 1, "]": -1}.get(body[position], 0)
                position += 1
            listed = re.sub(r"\.product\([^)]*\)", "", body[block.end():position - 1])
            dependencies = re.findall(r'"([^"]+)"', listed)
        found.append((match.group(1), name, dependencies))
    return found


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "Package.swift"
    with open(path, encoding="utf-8") as file:
        manifest = file.read()
    rank = {name: level for level, names in enumerate(LAYERS) for name in names}
    problems = []
    for kind, name, dependencies in targets(manifest):
        if kind == "testTarget" or kind == "systemLibrary" or name in UNLAYERED:
            continue
        if name not in rank:
            if name.startswith("LedgerTest"):  # the test support module and the crash tests' child process
                continue
            problems.append(f"{name} has no layer: add it to LAYERS in Tools/check-layers.py")
            continue
        for dependency in dependencies:
            if dependency in UNLAYERED or dependency not in rank:
                continue
            if rank[dependency] >= rank[name]:
                problems.append(
                    f"{name} (layer {rank[name]}) depends on {dependency} (layer {rank[dependency]}): "
                    "a module may depend only on layers below it")
    for problem in problems:
        print(f"check-layers: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"check-layers: {len(rank)} modules in {len(LAYERS)} layers, every dependency points down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
