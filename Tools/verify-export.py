#!/usr/bin/env python3
"""Check an IncidentLedger audit export bundle independently of the ledger's own binary.

Usage:
    python3 Tools/verify-export.py BUNDLE --key PUBLIC_KEY [--previous EARLIER_CHECKPOINT]

Checks, as docs/audit.md describes: the checkpoint's Ed25519 signature against the public key
(the signed-note form `incidents keys export` prints); every file's SHA-256 against the manifest;
every line of events.jsonl rebuilt into its record (docs/record-format.md, as Tools/verify-chain.py
does) and hashed to its Merkle leaf (RFC 6962: SHA-256(0x00 || record)); for a full or incremental
export, contiguous positions, unbroken previousHash links and the recomputed root; for a filtered
export, every inclusion proof step by step and that each event matches the query; the consistency
proof of an incremental export; an earlier checkpoint given with --previous; and the manifest's
counts; and, when the bundle has events.csv, that it is exactly the CSV form of the verified
events. Python's standard library plus the `cryptography` package (Tools/install-deps installs it).
Exit status 0 when every check passes, 1 with the failed check on standard error otherwise.
"""
import argparse
import base64
import hashlib
import importlib.util
import json
import os
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

# The record encoding is Tools/verify-chain.py's: one implementation of docs/record-format.md.
_spec = importlib.util.spec_from_file_location("verify_chain", os.path.join(os.path.dirname(os.path.abspath(__file__)), "verify-chain.py"))
chain = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(chain)

FORMAT = "incident-ledger-export/1"
REQUIRED = {"actor", "id", "occurredAt", "payload", "position", "previousHash", "recordedAt", "schemaVersion", "source", "stream", "type", "version"}
OPTIONAL = {"correlationId", "causationId"}
SENTINEL = "\x00payload\x00"


class Failure(Exception):
    """A check that did not pass; the message says which."""


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(record):
    return sha256(b"\x00" + record)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def verify_inclusion(leaf, index, size, path, root):
    """RFC 9162 section 2.1.3.2: every step of the path is hashed in."""
    if index >= size:
        raise Failure(f"leaf index {index} is outside a tree of {size} leaves")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise Failure("the inclusion proof has more hashes than the tree needs")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Failure("the inclusion proof has fewer hashes than the tree needs")
    if r != root:
        raise Failure(f"the inclusion proof for leaf {index} does not lead to the root")


def verify_consistency(m, old_root, n, new_root, proof):
    """RFC 9162 section 2.1.4.2."""
    if m > n:
        raise Failure("the earlier tree is larger than the later one")
    if m == n:
        if proof or old_root != new_root:
            raise Failure("two checkpoints of the same size disagree")
        return
    if m == 0:
        if proof:
            raise Failure("a consistency proof from the empty tree must be empty")
        return
    path = list(proof)
    if m & (m - 1) == 0:
        path.insert(0, old_root)
    if not path:
        raise Failure("the consistency proof is empty")
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise Failure("the consistency proof has too many hashes")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Failure("the consistency proof has too few hashes")
    if fr != old_root:
        raise Failure("the consistency proof does not rebuild the earlier root: the logs differ (forked or rewritten)")
    if sr != new_root:
        raise Failure("the consistency proof does not rebuild the later root: the logs differ (forked or rewritten)")


class Frontier:
    """A Merkle tree built leaf by leaf: the roots of its complete subtrees, largest first."""

    def __init__(self, size=0, hashes=()):
        heights = [bit for bit in reversed(range(64)) if size >> bit & 1]
        if len(heights) != len(hashes):
            raise Failure(f"a tree of {size} leaves has {len(heights)} complete subtrees, not {len(hashes)}")
        self.stack = list(zip(heights, hashes))
        self.size = size

    def append(self, leaf):
        height, value = 0, leaf
        while self.stack and self.stack[-1][0] == height:
            value = node_hash(self.stack.pop()[1], value)
            height += 1
        self.stack.append((height, value))
        self.size += 1

    def root(self):
        if not self.stack:
            return sha256(b"")
        value = self.stack[-1][1]
        for _, left in reversed(self.stack[:-1]):
            value = node_hash(left, value)
        return value


def read_key(path):
    """A signed-note verifier key: NAME+KEYID+BASE64(0x01 || Ed25519 public key)."""
    try:
        name, key_id, encoded = open(path, encoding="utf-8").read().strip().split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
    except (OSError, ValueError) as error:
        raise Failure(f"cannot read the public key {path}: {error}")
    if len(raw) != 33 or raw[0] != 1:
        raise Failure(f"{path} is not an Ed25519 signed-note key")
    computed = sha256(name.encode() + b"\n" + raw)[:4]
    if computed.hex() != key_id:
        raise Failure(f"{path}: the key id does not match the name and key")
    return name, computed, Ed25519PublicKey.from_public_bytes(raw[1:])


def read_checkpoint(path, key):
    """Reads a signed checkpoint and checks its signature; returns (origin, size, root)."""
    try:
        text = open(path, "rb").read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Failure(f"cannot read the checkpoint file {path}: {error}")
    body, separator, signatures = text.partition("\n\n")
    lines = body.split("\n")
    if not separator or len(lines) != 3:
        raise Failure(f"{path} is not a signed checkpoint (origin, size, root, a blank line, signatures)")
    origin, size_text, root_text = lines
    if not size_text.isdigit() or str(int(size_text)) != size_text:
        raise Failure(f"{path}: the tree size is not a plain decimal number")
    root = base64.b64decode(root_text, validate=True)
    if len(root) != 32:
        raise Failure(f"{path}: the root hash is not 32 bytes")
    name, key_id, public_key = key
    if origin != name:
        raise Failure(f"the checkpoint is of the log '{origin}' but the key is for '{name}'")
    signed = (body + "\n").encode("utf-8")
    found = False
    for line in signatures.split("\n"):
        if not line:
            continue
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != "\u2014":
            raise Failure(f"{path}: a signature line is malformed")
        raw = base64.b64decode(parts[2], validate=True)
        if parts[1] != name or raw[:4] != key_id:
            continue
        found = True
        try:
            public_key.verify(raw[4:], signed)
            return origin, int(size_text), root
        except InvalidSignature:
            pass
    if found:
        raise Failure("the checkpoint's signature does not verify with the given key: the checkpoint was altered or signed by another key")
    raise Failure("the checkpoint is not signed by the given key: it was signed by another key")


def file_digest(path):
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def lines_of(path, name):
    """Yields (number, line without newline), hashing as it goes; a last line with no newline is a cut."""
    with open(path, "rb") as handle:
        number = 0
        for raw in handle:
            number += 1
            if not raw.endswith(b"\n"):
                raise Failure(f"{name} is cut short: its last line (line {number}) has no newline")
            yield number, raw[:-1]


def record_of(raw):
    """The record bytes of one events.jsonl line, after checking it is exactly the ledger's line."""
    try:
        event = json.loads(raw)
    except ValueError as error:
        raise Failure(f"not JSON: {error}")
    if not isinstance(event, dict) or not REQUIRED <= event.keys() <= REQUIRED | OPTIONAL:
        raise Failure("the line does not have exactly the fields of an exported event")
    payload = chain.payload_of(raw)
    floats = []
    json.loads(payload, parse_float=lambda text: floats.append(text) or float(text))
    if not floats and chain.canonical_json(event["payload"]).encode("utf-8") != payload:
        raise Failure("the payload is not in canonical form")
    shape = dict(event, payload=SENTINEL)
    expected = chain.canonical_json(shape).encode("utf-8").replace(chain.canonical_json(SENTINEL).encode("utf-8"), payload)
    if expected != raw:
        raise Failure("the line is not in the exact canonical form `incidents log --json` prints")
    return event, chain.record_bytes(event, payload)


CSV_HEADER = b"position,version,stream,id,type,schemaVersion,occurredAt,recordedAt,actorKind,actorId,source,correlationId,causationId,payload,previousHash\n"


def csv_row(event, payload):
    """The row `export --csv` writes for an event: every field quoted, quotes doubled, a newline."""
    fields = [str(event["position"]).encode(), str(event["version"]).encode()]
    fields += [(event.get(key) or "").encode("utf-8") for key in ("stream", "id", "type")]
    fields += [str(event["schemaVersion"]).encode(), event["occurredAt"].encode(), event["recordedAt"].encode()]
    fields += [event["actor"]["kind"].encode(), event["actor"]["id"].encode("utf-8"), event["source"].encode("utf-8")]
    fields += [(event.get("correlationId") or "").encode("utf-8"), (event.get("causationId") or "").encode("utf-8")]
    fields += [payload, event["previousHash"].encode()]
    return b",".join(b'"' + field.replace(b'"', b'""') + b'"' for field in fields) + b"\n"


def matches(query, event):
    if query.get("incident") is not None and event["stream"] != query["incident"]:
        return False
    if query.get("types") and event["type"] not in query["types"]:
        return False
    occurred = chain.micros(event["occurredAt"])
    if query.get("since") is not None and occurred < chain.micros(query["since"]):
        return False
    if query.get("until") is not None and occurred >= chain.micros(query["until"]):
        return False
    return True


def verify(bundle, key_path, previous_path):
    key = read_key(key_path)
    path = lambda name: os.path.join(bundle, name)
    try:
        manifest = json.load(open(path("manifest.json"), encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise Failure(f"cannot read manifest.json: {error}")
    if manifest.get("format") != FORMAT:
        raise Failure(f"the manifest's format is not {FORMAT}")
    kind = manifest["kind"]
    origin, size, root = read_checkpoint(path("checkpoint.txt"), key)
    if origin != manifest["origin"] or size != manifest["treeSize"] or root.hex() != manifest["rootHash"]:
        raise Failure("the manifest names a different log or tree head than the signed checkpoint")

    expected = {"events.jsonl", "checkpoint.txt"}
    expected |= {"proofs.jsonl"} if kind == "filtered" else set()
    expected |= {"consistency.json", "previous-checkpoint.txt"} if kind == "incremental" else set()
    csv = "events.csv" in manifest.get("files", {})
    expected |= {"events.csv"} if csv else set()
    if set(manifest["files"]) != expected:
        raise Failure(f"the manifest lists the files {sorted(manifest['files'])} where a {kind} export has {sorted(expected)}")
    for name in sorted(expected):
        listed = manifest["files"][name]
        if (listed["bytes"], listed["sha256"]) != file_digest(path(name)):
            raise Failure(f"{name}: its SHA-256 or size does not match the manifest (the file was changed or truncated)")
    query = manifest["query"]
    filtered = any(query.get(k) for k in ("incident", "types", "since", "until"))
    if (kind == "filtered") != filtered:
        raise Failure(f"the manifest says {kind} but {'states no' if kind == 'filtered' else 'states a'} filter")

    tree = Frontier()
    if kind == "incremental":
        old_origin, old_size, old_root = read_checkpoint(path("previous-checkpoint.txt"), key)
        consistency = json.load(open(path("consistency.json"), encoding="utf-8"))
        hexes = lambda items: [bytes.fromhex(item) for item in items]
        if (consistency["oldSize"], consistency["oldRoot"], consistency["newSize"], consistency["newRoot"]) != (old_size, old_root.hex(), size, root.hex()) \
                or manifest.get("previousTreeSize") != old_size:
            raise Failure(f"consistency.json does not join the earlier checkpoint ({old_size} events) to this one ({size})")
        try:
            verify_consistency(old_size, old_root, size, root, hexes(consistency["proof"]))
        except Failure as failure:
            raise Failure(f"consistency proof from {old_size} to {size} events: {failure}")
        tree = Frontier(old_size, hexes(consistency["oldSubtrees"]))
        if tree.root() != old_root:
            raise Failure("the earlier tree's subtree roots in consistency.json do not make the earlier checkpoint's root")

    auditor = None
    if previous_path:
        _, previous_size, previous_root = read_checkpoint(previous_path, key)
        if kind == "filtered":
            raise Failure("--previous needs a full or incremental export: a filtered export carries no consistency proof")
        if previous_size > size:
            raise Failure(f"the earlier checkpoint covers {previous_size} events, more than this export's checkpoint ({size}): the log shrank or forked")
        if previous_size < tree.size:
            raise Failure("the earlier checkpoint is older than where this incremental export starts")
        if previous_size == tree.size and previous_root != tree.root():
            raise Failure(f"the earlier checkpoint's root differs from the log's root at {previous_size} events: the log was forked or rewritten")
        auditor = (previous_size, previous_root)

    proofs = lines_of(path("proofs.jsonl"), "proofs.jsonl") if kind == "filtered" else None
    count, first, last, previous_hash = 0, None, None, None
    table = hashlib.sha256(CSV_HEADER) if csv else None
    table_bytes = len(CSV_HEADER)
    for number, raw in lines_of(path("events.jsonl"), "events.jsonl"):
        place = f"events.jsonl line {number}"
        try:
            event, record = record_of(raw)
        except (Failure, KeyError, ValueError, TypeError) as error:
            raise Failure(f"{place}: {error}")
        position, leaf = event["position"], leaf_hash(record)
        if kind == "filtered":
            if last is not None and position <= last:
                raise Failure(f"{place}: position {position} does not come after {last} (lines swapped or duplicated)")
            if position > size:
                raise Failure(f"{place}: position {position} is beyond the checkpoint's {size} events")
            if not matches(query, event):
                raise Failure(f"{place}: the event at position {position} does not match the export's query")
            proof_line = next(proofs, None)
            if proof_line is None:
                raise Failure(f"proofs.jsonl ends before events.jsonl: no inclusion proof for position {position}")
            proof = json.loads(proof_line[1])
            if proof.get("position") != position:
                raise Failure(f"proofs.jsonl line {proof_line[0]} proves position {proof.get('position')}, not the event's {position}")
            try:
                verify_inclusion(leaf, position - 1, size, [bytes.fromhex(item) for item in proof["path"]], root)
            except Failure as failure:
                raise Failure(f"{place}: inclusion proof for position {position} failed: {failure}")
        else:
            due = tree.size + 1
            if position != due:
                raise Failure(f"{place}: position {position} where {due} was due (an event is missing, duplicated or out of order)")
            if due > size:
                raise Failure(f"{place}: position {position} is beyond the checkpoint's {size} events")
            if previous_hash is not None and bytes.fromhex(event["previousHash"]) != previous_hash:
                raise Failure(f"{place}: the previousHash of position {position} is not the hash of the line before it (that line or this one was altered)")
            tree.append(leaf)
            if auditor and auditor[0] == tree.size and auditor[1] != tree.root():
                raise Failure(f"the earlier checkpoint's root differs from the log's root at {auditor[0]} events: the log was forked or rewritten")
        previous_hash = sha256(record)
        if table is not None:
            row = csv_row(event, chain.payload_of(raw))
            table.update(row)
            table_bytes += len(row)
        count += 1
        first = position if first is None else first
        last = position
    if proofs is not None and next(proofs, None) is not None:
        raise Failure("proofs.jsonl has more lines than events.jsonl (an event line was removed)")
    if kind != "filtered":
        if tree.size != size:
            raise Failure(f"events.jsonl ends at position {tree.size} but the checkpoint covers {size} events (events missing at the end)")
        if tree.root() != root:
            raise Failure("the events do not hash to the checkpoint's root (an event was altered)")
    if table is not None and (table_bytes, table.hexdigest()) != (manifest["files"]["events.csv"]["bytes"], manifest["files"]["events.csv"]["sha256"]):
        raise Failure("events.csv is not the CSV form of the verified events (a row was changed, added or removed)")
    if (manifest["eventCount"], manifest["firstPosition"], manifest["lastPosition"]) != (count, first, last):
        raise Failure(f"the manifest says {manifest['eventCount']} events at positions {manifest['firstPosition']}–{manifest['lastPosition']} "
                      f"but the bundle holds {count} at {first}–{last}")
    return kind, count, size, root


def main():
    parser = argparse.ArgumentParser(description="Verify an IncidentLedger audit export bundle.")
    parser.add_argument("bundle")
    parser.add_argument("--key", required=True, help="the ledger's public key file (incidents keys export)")
    parser.add_argument("--previous", help="an earlier signed checkpoint to check the log against")
    arguments = parser.parse_args()
    try:
        kind, count, size, root = verify(arguments.bundle, arguments.key, arguments.previous)
    except Failure as failure:
        print(f"verify-export.py: {failure}", file=sys.stderr)
        return 1
    except (OSError, KeyError, ValueError, TypeError) as error:
        print(f"verify-export.py: the bundle is malformed: {error!r}", file=sys.stderr)
        return 1
    print(f"ok: {kind} export of {count} events verified against the checkpoint of {size} events, root {root.hex()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
