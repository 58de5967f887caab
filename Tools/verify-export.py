#!/usr/bin/env python3
"""Check an IncidentLedger audit export bundle independently of the ledger's own binary.

Usage:
    python3 Tools/verify-export.py BUNDLE --key PUBLIC_KEY [--previous EARLIER_CHECKPOINT]
    python3 Tools/verify-export.py --batch BUNDLE... --key PUBLIC_KEY [--previous EARLIER_CHECKPOINT]

Checks, as docs/audit.md describes, in the same order and with the same messages as
`incidents verify-export`: that the bundle holds exactly the files its manifest lists (in any
folder, hidden or not); the manifest and consistency.json read strictly (canonical whole numbers,
no repeated, unknown, missing or mistyped member, and exactly the bytes the exporter writes); the
checkpoint's Ed25519 signature against the public key
(the signed-note form `incidents keys export` prints); every file's SHA-256 against the manifest;
every line of events.jsonl rebuilt into its record (docs/record-format.md, as Tools/verify-chain.py
does) and hashed to its Merkle leaf (RFC 6962: SHA-256(0x00 || record)); for a full or incremental
export, contiguous positions, unbroken previousHash links and the recomputed root; for a filtered
export, every inclusion proof step by step and that each event matches the query; the consistency
proof of an incremental export; an earlier checkpoint given with --previous; and the manifest's
counts; and, when the bundle has events.csv, that it is exactly the CSV form of the verified
events. Python's standard library plus the `cryptography` package (Tools/install-deps installs it).
Exit status 0 when every check passes, 1 with the failed check on standard error otherwise.
With --batch, one line per bundle on standard output, `BUNDLE<TAB>ok` or `BUNDLE<TAB>` and the
refusal, and exit status 0 when all passed; `verify_bundle` is the same check for a caller that
imports this file as a module.
"""
import argparse
import base64
import datetime
import hashlib
import importlib.util
import json
import os
import sys
import uuid

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

# The record encoding is Tools/verify-chain.py's: one implementation of docs/record-format.md.
_spec = importlib.util.spec_from_file_location("verify_chain", os.path.join(os.path.dirname(os.path.abspath(__file__)), "verify-chain.py"))
chain = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(chain)

FORMAT = "incident-ledger-export/1"
REQUIRED = {"actor", "id", "occurredAt", "payload", "position", "previousHash", "recordedAt", "schemaVersion", "source", "stream", "type", "version"}
OPTIONAL = {"correlationId", "causationId", "sourceRecordedAt"}
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
    """RFC 9162 section 2.1.3.2: every step of the path is hashed in (Merkle+Verification.swift's messages)."""
    if index >= size:
        raise Failure(f"leaf index {index} is outside a tree of {size} leaves")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise Failure(f"the inclusion proof has {len(path)} hashes, more than a tree of {size} leaves needs at index {index}")
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
        raise Failure(f"the inclusion proof has {len(path)} hashes, fewer than a tree of {size} leaves needs at index {index}")
    if r != root:
        raise Failure(f"the inclusion proof for leaf {index} does not lead to the root {root.hex()} of the tree of {size} leaves")


def verify_consistency(m, old_root, n, new_root, proof):
    """RFC 9162 section 2.1.4.2."""
    if m > n:
        raise Failure(f"the earlier tree ({m} leaves) is larger than the later one ({n}); a log never shrinks")
    if m == n:
        if proof:
            raise Failure("a consistency proof between trees of the same size must be empty")
        if old_root != new_root:
            raise Failure(f"two checkpoints of the same size {n} have different roots: the log was forked or rewritten")
        return
    if m == 0:
        if proof:
            raise Failure("a consistency proof from the empty tree must be empty")
        return
    path = list(proof)
    if m & (m - 1) == 0:
        path.insert(0, old_root)
    if not path:
        raise Failure("the consistency proof is empty but the trees differ in size")
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise Failure(f"the consistency proof from {m} to {n} leaves has too many hashes")
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
        raise Failure(f"the consistency proof from {m} to {n} leaves has too few hashes")
    if fr != old_root:
        raise Failure(f"the consistency proof does not rebuild the earlier root {old_root.hex()} of {m} leaves: the logs differ (forked or rewritten)")
    if sr != new_root:
        raise Failure(f"the consistency proof does not rebuild the later root {new_root.hex()} of {n} leaves: the logs differ (forked or rewritten)")


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


class Unusable(Failure):
    """A file given cannot be used at all (the Swift verifier's exit status 3)."""


def read_key(path):
    """A signed-note verifier key: NAME+KEYID+BASE64(0x01 || Ed25519 public key)."""
    try:
        name, key_id, encoded = open(path, encoding="utf-8").read().strip().split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
    except (OSError, ValueError) as error:
        raise Unusable(f"cannot read the public key {path}: {error}")
    if len(raw) != 33 or raw[0] != 1:
        raise Unusable(f"{path} is not an Ed25519 signed-note key")
    computed = sha256(name.encode() + b"\n" + raw)[:4]
    if computed.hex() != key_id:
        raise Unusable(f"{path}: the key id does not match the name and key")
    return name, computed, Ed25519PublicKey.from_public_bytes(raw[1:])


# MARK: strict JSON, as Sources/LedgerModel/JSON/JSONParser.swift reads it


class Float(float):
    """A JSON number that is not a whole number within 64 bits (Swift's JSONValue.number)."""


class JSONError(Exception):
    """Why a text is not valid JSON, and where: the Swift parser's message, word for word."""


MAXIMUM_DEPTH = 128


class StrictParser:
    """A port of JSONParser.swift: strict RFC 8259 over UTF-8 bytes, the same errors at the same places."""

    def __init__(self, data):
        self.b, self.i, self.depth = data, 0, 0

    def error(self, reason, at=None):
        offset = min(self.i if at is None else at, len(self.b))
        line = 1 + self.b.count(b"\n", 0, offset)
        line_start = self.b.rfind(b"\n", 0, offset) + 1
        return JSONError(f"malformed JSON at line {line}, column {offset - line_start + 1}: {reason}")

    def ws(self):
        while self.i < len(self.b) and self.b[self.i] in b" \t\n\r":
            self.i += 1

    def document(self):
        self.ws()
        if self.i >= len(self.b):
            raise self.error("the input is empty; expected a JSON value")
        value = self.value()
        self.ws()
        if self.i != len(self.b):
            raise self.error("unexpected text after the JSON value")
        return value

    def value(self):
        if self.i >= len(self.b):
            raise self.error("unexpected end of input; expected a value")
        c = self.b[self.i]
        if c == 0x7B:
            return self.object()
        if c == 0x5B:
            return self.array()
        if c == 0x22:
            return self.string()
        for word, value in ((b"true", True), (b"false", False), (b"null", None)):
            if c == word[0]:
                if not self.b.startswith(word, self.i):
                    raise self.error("unexpected character; expected a value")
                self.i += len(word)
                return value
        if c == 0x2D or 0x30 <= c <= 0x39:
            return self.number()
        raise self.error("unexpected character; expected a value")

    def enter(self):
        self.depth += 1
        if self.depth > MAXIMUM_DEPTH:
            raise self.error(f"nesting deeper than {MAXIMUM_DEPTH} levels")

    def object(self):
        self.enter()
        try:
            self.i += 1
            members = {}
            self.ws()
            if self.i < len(self.b) and self.b[self.i] == 0x7D:
                self.i += 1
                return members
            while True:
                self.ws()
                if not (self.i < len(self.b) and self.b[self.i] == 0x22):
                    raise self.error("expected a member name in double quotes")
                key_offset = self.i
                key = self.string()
                self.ws()
                if not (self.i < len(self.b) and self.b[self.i] == 0x3A):
                    raise self.error("expected ':' after a member name")
                self.i += 1
                self.ws()
                value = self.value()
                if key in members:
                    raise self.error(f'the member name "{key}" appears twice', at=key_offset)
                members[key] = value
                self.ws()
                if self.i >= len(self.b):
                    raise self.error("unexpected end of input inside an object")
                if self.b[self.i] == 0x2C:
                    self.i += 1
                    continue
                if self.b[self.i] != 0x7D:
                    raise self.error("expected ',' or '}' in an object")
                self.i += 1
                return members
        finally:
            self.depth -= 1

    def array(self):
        self.enter()
        try:
            self.i += 1
            elements = []
            self.ws()
            if self.i < len(self.b) and self.b[self.i] == 0x5D:
                self.i += 1
                return elements
            while True:
                self.ws()
                elements.append(self.value())
                self.ws()
                if self.i >= len(self.b):
                    raise self.error("unexpected end of input inside an array")
                if self.b[self.i] == 0x2C:
                    self.i += 1
                    continue
                if self.b[self.i] != 0x5D:
                    raise self.error("expected ',' or ']' in an array")
                self.i += 1
                return elements
        finally:
            self.depth -= 1

    def string(self):
        start = self.i
        self.i += 1
        scan = self.i
        while scan < len(self.b):
            byte = self.b[scan]
            if byte == 0x22:
                try:
                    text = self.b[self.i:scan].decode("utf-8")
                except UnicodeDecodeError:
                    raise self.error("the string is not valid UTF-8", at=start)
                self.i = scan + 1
                return text
            if byte == 0x5C:
                break
            if byte < 0x20:
                raise self.error("a control character must be escaped inside a string", at=scan)
            scan += 1
        if scan >= len(self.b):
            raise self.error("unterminated string", at=start)
        out = bytearray(self.b[self.i:scan])
        self.i = scan
        while True:
            if self.i >= len(self.b):
                raise self.error("unterminated string", at=start)
            byte = self.b[self.i]
            if byte == 0x22:
                self.i += 1
                break
            if byte < 0x20:
                raise self.error("a control character must be escaped inside a string")
            if byte != 0x5C:
                out.append(byte)
                self.i += 1
                continue
            self.i += 1
            if self.i >= len(self.b):
                raise self.error("unterminated escape sequence")
            escaped = self.b[self.i]
            self.i += 1
            simple = {0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09}
            if escaped in simple:
                out.append(simple[escaped])
            elif escaped == 0x75:
                scalar = self.hex4()
                if 0xD800 <= scalar < 0xDC00:
                    if not (self.i + 1 < len(self.b) and self.b[self.i] == 0x5C and self.b[self.i + 1] == 0x75):
                        raise self.error("a high surrogate must be followed by a low surrogate")
                    self.i += 2
                    low = self.hex4()
                    if not 0xDC00 <= low < 0xE000:
                        raise self.error("a high surrogate must be followed by a low surrogate")
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                elif 0xDC00 <= scalar < 0xE000:
                    raise self.error("a lone low surrogate is not a character")
                out += chr(scalar).encode("utf-8")
            else:
                raise self.error("unknown escape sequence")
        try:
            return bytes(out).decode("utf-8")
        except UnicodeDecodeError:
            raise self.error("the string is not valid UTF-8", at=start)

    def hex4(self):
        if self.i + 4 > len(self.b):
            raise self.error("\\u must be followed by four hex digits")
        value = 0
        for _ in range(4):
            digit = self.b[self.i:self.i + 1]
            if digit not in b"0123456789abcdefABCDEF" or not digit:
                raise self.error("\\u must be followed by four hex digits")
            value = value << 4 | int(digit, 16)
            self.i += 1
        return value

    def number(self):
        start = self.i
        digit = lambda at: at < len(self.b) and 0x30 <= self.b[at] <= 0x39
        if self.b[self.i] == 0x2D:
            self.i += 1
        if not digit(self.i):
            raise self.error("a number needs digits")
        if self.b[self.i] == 0x30:
            self.i += 1
            if digit(self.i):
                raise self.error("numbers must not have leading zeros")
        else:
            while digit(self.i):
                self.i += 1
        integer = True
        if self.i < len(self.b) and self.b[self.i] == 0x2E:
            integer = False
            self.i += 1
            if not digit(self.i):
                raise self.error("a '.' in a number must be followed by digits")
            while digit(self.i):
                self.i += 1
        if self.i < len(self.b) and self.b[self.i] in b"eE":
            integer = False
            self.i += 1
            if self.i < len(self.b) and self.b[self.i] in b"+-":
                self.i += 1
            if not digit(self.i):
                raise self.error("an exponent must have digits")
            while digit(self.i):
                self.i += 1
        text = self.b[start:self.i].decode()
        if integer and -(1 << 63) <= int(text) < (1 << 63):
            return int(text)
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise self.error("the number is out of range", at=start)
        return Float(value)


# MARK: bundle JSON, as Sources/LedgerAudit/BundleJSON.swift reads it

COUNT, OPTIONAL_COUNT, STRING, OPTIONAL_STRING, STRINGS = "a whole number", "a whole number or null", "a string", "a string or null", "a list of strings"


def by_bytes(names):
    return sorted(names, key=lambda name: name.encode("utf-8", "surrogateescape"))


def check_numbers(data, name):
    """Refuses the first number outside strings that is not a whole number in canonical form."""
    index, line, line_start, in_string = 0, 1, 0, False
    number_bytes = b"0123456789-+.eE"
    while index < len(data):
        byte = data[index]
        if in_string:
            if byte == 0x5C:
                index += 2
                continue
            if byte == 0x22:
                in_string = False
            if byte == 0x0A:
                line, line_start = line + 1, index + 1
            index += 1
            continue
        if byte == 0x22:
            in_string = True
        elif byte == 0x0A:
            line, line_start = line + 1, index + 1
        elif byte in number_bytes and byte not in b"eE":
            end = index
            while end < len(data) and data[end] in number_bytes:
                end += 1
            token = data[index:end]
            if not token.isdigit() or (token[0] == 0x30 and len(token) > 1):
                raise Failure(f"{name}: the number {token.decode('utf-8', 'replace')} at line {line}, column {index - line_start + 1} "
                              "is not a whole number in canonical form")
            index = end
            continue
        index += 1


def check_shape(value, shape, name, path):
    if isinstance(shape, dict):
        if type(value) is not dict:
            raise Failure(f'{name}: member "{path}" must be an object')
        for member in by_bytes(set(shape) | set(value)):
            place = f"{path}.{member}" if path else member
            if member not in shape:
                raise Failure(f'{name}: unknown member "{place}"')
            if member not in value:
                raise Failure(f'{name}: missing member "{place}"')
            check_shape(value[member], shape[member], name, place)
        return
    if isinstance(shape, tuple):
        if type(value) is not dict:
            raise Failure(f'{name}: member "{path}" must be an object')
        for member in by_bytes(value):
            check_shape(value[member], shape[1], name, f"{path}.{member}" if path else member)
        return
    fits = {
        COUNT: type(value) is int and value >= 0,
        OPTIONAL_COUNT: value is None or (type(value) is int and value >= 0),
        STRING: type(value) is str,
        OPTIONAL_STRING: value is None or type(value) is str,
        STRINGS: type(value) is list and all(type(item) is str for item in value),
    }[shape]
    if not fits:
        raise Failure(f'{name}: member "{path}" must be {shape}')


def read_bundle_json(data, name, shape):
    check_numbers(data, name)
    try:
        value = StrictParser(data).document()
    except JSONError as error:
        raise Failure(f"{name}: {error}")
    if type(value) is not dict:
        raise Failure(f"{name}: must be a JSON object")
    check_shape(value, shape, name, "")
    return value


def pretty(value, indent=0):
    """JSONValue.prettyText without its final newline: sorted members, two spaces a level."""
    pad = "  " * (indent + 1)
    if type(value) is list and value:
        if all(type(item) not in (list, dict) for item in value):
            return chain.canonical_json(value)
        return "[\n" + ",\n".join(pad + pretty(item, indent + 1) for item in value) + "\n" + "  " * indent + "]"
    if type(value) is dict and value:
        return "{\n" + ",\n".join(pad + chain.canonical_json(key) + ": " + pretty(value[key], indent + 1) for key in by_bytes(value)) \
            + "\n" + "  " * indent + "}"
    return chain.canonical_json(value)


def check_exact_form(data, value, name):
    if (pretty(value) + "\n").encode("utf-8") != data:
        raise Failure(f"{name}: not in the exact form the exporter writes (white space, member order or escapes changed)")


def is_hash(text):
    return type(text) is str and len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def rfc3339(micros):
    """Timestamp.rfc3339: UTC, seconds, and a fraction only when there is one (3 or 6 digits)."""
    seconds, fraction = divmod(micros, 1_000_000)
    moment = chain.EPOCH + datetime.timedelta(seconds=seconds)
    text = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    if fraction:
        text += f".{fraction // 1000:03d}" if fraction % 1000 == 0 else f".{fraction:06d}"
    return text + "Z"


MANIFEST_SHAPE = {
    "eventCount": COUNT, "files": ("map", {"bytes": COUNT, "sha256": STRING}), "firstPosition": OPTIONAL_COUNT,
    "format": STRING, "kind": STRING, "lastPosition": OPTIONAL_COUNT, "origin": STRING, "previousTreeSize": OPTIONAL_COUNT,
    "query": {"incident": OPTIONAL_STRING, "since": OPTIONAL_STRING, "types": STRINGS, "until": OPTIONAL_STRING},
    "rootHash": STRING, "treeSize": COUNT,
}
CONSISTENCY_SHAPE = {"newRoot": STRING, "newSize": COUNT, "oldRoot": STRING, "oldSize": COUNT, "oldSubtrees": STRINGS, "proof": STRINGS}


def is_filtered(query):
    return query["incident"] is not None or bool(query["types"]) or query["since"] is not None or query["until"] is not None


def read_manifest(data):
    """ExportManifest(bytes:): strict JSON, the values, kind against query, the exact form."""
    manifest = read_bundle_json(data, "manifest.json", MANIFEST_SHAPE)
    if manifest["format"] != FORMAT:
        raise Failure(f"the manifest's format is not {FORMAT}")
    kind = manifest["kind"]
    if kind not in ("full", "incremental", "filtered"):
        raise Failure("the manifest's kind must be full, incremental or filtered")
    if not is_hash(manifest["rootHash"]):
        raise Failure("the manifest's rootHash is not 64 lower-case hexadecimal digits")
    for name in by_bytes(manifest["files"]):
        if not is_hash(manifest["files"][name]["sha256"]):
            raise Failure(f"the manifest's entry for {name}: sha256 is not 64 lower-case hexadecimal digits")
    query = manifest["query"]
    for key in ("since", "until"):
        if query[key] is not None:
            try:
                spelled = rfc3339(chain.micros(query[key]))
            except (ValueError, OverflowError):
                spelled = None
            if spelled != query[key]:
                raise Failure(f"the manifest's query.{key} is not an RFC 3339 time as the ledger writes it")
    if (kind == "incremental") != (manifest["previousTreeSize"] is not None):
        raise Failure("the manifest says incremental but states no previousTreeSize" if kind == "incremental"
                      else f"the manifest says {kind} but states a previousTreeSize")
    if (kind == "filtered") != is_filtered(query):
        raise Failure(f"the manifest says {kind} but {'states no' if kind == 'filtered' else 'states a'} filter")
    check_exact_form(data, manifest, "manifest.json")
    return manifest


def read_consistency(data):
    """ConsistencyFile(bytes:)."""
    consistency = read_bundle_json(data, "consistency.json", CONSISTENCY_SHAPE)
    for key in ("oldRoot", "newRoot", "proof", "oldSubtrees"):
        items = consistency[key] if type(consistency[key]) is list else [consistency[key]]
        if not all(is_hash(item) for item in items):
            raise Failure(f"consistency.json: {key} must hold 64-digit lower-case hexadecimal hashes")
    check_exact_form(data, consistency, "consistency.json")
    return consistency


def _pairs(pairs):
    members = {}
    for key, value in pairs:
        if key in members:
            raise ValueError(f'the member name "{key}" appears twice')
        members[key] = value
    return members


def _constant(name):
    raise ValueError(f"{name} is not a JSON value")


def strict_loads(raw):
    """One line of JSON (events, proofs): UTF-8, no repeated member, no NaN or Infinity."""
    return json.loads(raw.decode("utf-8"), object_pairs_hook=_pairs, parse_constant=_constant, parse_float=Float)


PROOF_SHAPE = 'not an inclusion proof line {"path": [...], "position": N}'


def read_proof_line(raw):
    """InclusionProofLine(line:): exactly the two members, a position from 1, lower-case hashes, canonical."""
    try:
        proof = strict_loads(raw)
    except ValueError:
        raise Failure(PROOF_SHAPE)
    if type(proof) is not dict or len(proof) != 2 or type(proof.get("position")) is not int or not 0 < proof["position"] < 1 << 63 \
            or type(proof.get("path")) is not list:
        raise Failure(PROOF_SHAPE)
    if not all(is_hash(item) for item in proof["path"]):
        raise Failure("an inclusion proof's path must hold 64-digit lower-case hexadecimal hashes")
    if chain.canonical_json(proof).encode("utf-8") != raw:
        raise Failure("not in the exact form the exporter writes")
    return proof["position"], [bytes.fromhex(item) for item in proof["path"]]


# MARK: checkpoints, as Sources/LedgerAudit/Checkpoint.swift reads them


def parse_checkpoint(text):
    """SignedCheckpoint(text:): (origin, size, root, [(key name, 68 raw bytes)]), Swift's messages."""
    split = text.find("\n\n")
    if split < 0:
        raise Failure("a signed checkpoint is a body, a blank line, then signature lines; this has no blank line")
    lines = text[:split + 1].split("\n")
    if len(lines) != 4 or lines[3] or not lines[0]:
        raise Failure("a checkpoint body is three lines: origin, tree size, base64 root hash")
    origin, size_text, root_text = lines[:3]
    if not (size_text.isascii() and size_text.isdigit() and str(int(size_text)) == size_text and int(size_text) < 1 << 64):
        raise Failure(f"the checkpoint's tree size '{size_text}' is not a whole number in plain decimal")
    try:
        root = base64.b64decode(root_text, validate=True)
    except ValueError:
        root = b""
    if len(root) != 32 or base64.b64encode(root).decode() != root_text:
        raise Failure("the checkpoint's root hash is not 32 bytes in standard base64")
    signatures = []
    for line in text[split + 2:].split("\n"):
        if not line:
            continue
        parts = line.split(" ")
        try:
            raw = base64.b64decode(parts[2], validate=True) if len(parts) == 3 else b""
        except ValueError:
            raw = b""
        if len(parts) != 3 or parts[0] != "\u2014" or len(raw) != 68:
            raise Failure("a checkpoint signature line is '\u2014 NAME BASE64' with 4 key-id bytes and a 64-byte Ed25519 signature")
        signatures.append((parts[1], raw))
    if not signatures:
        raise Failure("the checkpoint carries no signature")
    if not text.endswith("\n"):
        raise Failure("the checkpoint's last line is cut short")
    return origin, int(size_text), root, signatures


def check_signature(checkpoint, key):
    """SignedCheckpoint.verify(with:)."""
    origin, size, root, signatures = checkpoint
    name, key_id, public_key = key
    if origin != name:
        raise Failure(f"the checkpoint is of the log '{origin}' but the key is for '{name}'")
    candidates = [raw for signer, raw in signatures if signer == name and raw[:4] == key_id]
    if not candidates:
        raise Failure(f"the checkpoint is not signed by the given key (key id {key_id.hex()}): it was signed by another key")
    body = f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n".encode("utf-8")
    for raw in candidates:
        try:
            public_key.verify(raw[4:], body)
            return
        except InvalidSignature:
            pass
    raise Failure("the checkpoint's signature does not verify with the given key: the checkpoint was altered or signed by another key")


def checkpoint_text(checkpoint):
    origin, size, root, signatures = checkpoint
    text = f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n\n"
    return text + "".join(f"\u2014 {signer} {base64.b64encode(raw).decode()}\n" for signer, raw in signatures)


def bundle_checkpoint(path, key):
    """ExportVerifier.bundleCheckpoint: well formed, signed by the key, and exactly as written."""
    name = os.path.basename(path)
    data = open(path, "rb").read()
    try:
        checkpoint = parse_checkpoint(data.decode("utf-8", "replace"))
    except Failure as failure:
        raise Failure(f"{name}: {failure}")
    check_signature(checkpoint, key)
    if len(checkpoint[3]) != 1 or checkpoint_text(checkpoint).encode("utf-8") != data:
        raise Failure(f"{name}: not in the exact form the exporter writes (the body, a blank line, one signature line)")
    return checkpoint[:3]


def read_previous(path, key):
    """An auditor's own earlier checkpoint (--previous), as `SignedCheckpoint(contentsOf:)` reads it."""
    try:
        data = open(path, "rb").read()
    except OSError:
        raise Unusable(f"cannot read the checkpoint file {path}")
    try:
        checkpoint = parse_checkpoint(data.decode("utf-8", "replace"))
    except Failure as failure:
        raise Unusable(f"{path}: {failure}")
    check_signature(checkpoint, key)
    return checkpoint[:3]


# MARK: the bundle's files


def contents(directory):
    """ExportVerifier.contents(of:): every entry but folders, by relative path, and whether it is a regular file."""
    out = {}

    def walk(relative):
        folder = os.path.join(directory, relative) if relative else directory
        try:
            entries = list(os.scandir(folder))
        except OSError as error:
            raise Unusable(f"cannot read the bundle folder {folder}: {error.strerror}")
        if not entries and relative:
            out[relative + "/"] = False
        for entry in entries:
            child = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_dir(follow_symlinks=False):
                walk(child)
            else:
                out[child] = entry.is_file(follow_symlinks=False)

    walk("")
    return out


def check_listing(listing, listed):
    for name in by_bytes(listed):
        if name not in listing:
            raise Failure(f"{name} is listed in the manifest but missing from the bundle")
        if not listing[name]:
            raise Failure(f"{name} is not a regular file")
    for name in by_bytes(listing):
        if name != "manifest.json" and name not in listed:
            raise Failure(f"the bundle holds {name}, which the manifest does not list (every file of a bundle must be listed with its hash)")


def file_digest(path):
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


class HashingLines:
    """HashingLineReader: lines without their newline, hashing every byte; a last line with no newline is a cut."""

    def __init__(self, path):
        self.name = os.path.basename(path)
        self.handle = open(path, "rb")
        self.hasher, self.size, self.number = hashlib.sha256(), 0, 0

    def next_line(self):
        raw = self.handle.readline()
        if not raw:
            return None
        self.hasher.update(raw)
        self.size += len(raw)
        if not raw.endswith(b"\n"):
            raise Failure(f"{self.name} is cut short: its last line (line {self.number + 1}) has no newline")
        self.number += 1
        return raw[:-1]

    def digest(self):
        for block in iter(lambda: self.handle.read(1 << 20), b""):
            self.hasher.update(block)
            self.size += len(block)
        self.handle.close()
        return self.size, self.hasher.hexdigest()


def check_digest(name, digest, manifest):
    listed = manifest["files"].get(name)
    if listed is None or (listed["bytes"], listed["sha256"]) != digest:
        raise Failure(f"{name}: its SHA-256 or size does not match the manifest (the file was changed or truncated)")


EVENT_STRINGS = ("id", "occurredAt", "previousHash", "recordedAt", "source", "stream", "type")


def record_of(raw):
    """The record bytes of one events.jsonl line, after checking it is exactly the ledger's line."""
    try:
        event = strict_loads(raw)
    except ValueError as error:
        raise Failure(f"not JSON: {error}")
    if type(event) is not dict or not REQUIRED <= event.keys() <= REQUIRED | OPTIONAL:
        raise Failure("the line does not have exactly the fields of an exported event")
    actor = event["actor"]
    if any(type(event[key]) is not int or not 0 <= event[key] < 1 << 63 for key in ("position", "version")) \
            or type(event["schemaVersion"]) is not int or not 1 <= event["schemaVersion"] <= 0xFFFF \
            or any(type(event[key]) is not str for key in EVENT_STRINGS + tuple(OPTIONAL & event.keys())) \
            or type(event["payload"]) is not dict or type(actor) is not dict or set(actor) != {"id", "kind"} \
            or type(actor["id"]) is not str or actor["kind"] not in chain.ACTOR_KINDS:
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
    # The one spelling the ledger prints: ids and hash in lower case, times in UTC (as Swift checks).
    spellings = {"id": lambda text: str(uuid.UUID(text)), "previousHash": lambda text: bytes.fromhex(text).hex() if len(text) == 64 else None,
                 "occurredAt": lambda text: rfc3339(chain.micros(text)), "recordedAt": lambda text: rfc3339(chain.micros(text)),
                 "sourceRecordedAt": lambda text: rfc3339(chain.micros(text))}
    for key, spelled in spellings.items():
        if key not in event:
            continue
        try:
            printed = spelled(event[key])
        except (ValueError, OverflowError):
            printed = None
        if printed != event[key]:
            raise Failure(f"{key} is not spelled as `incidents log --json` prints it")
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
    if query["incident"] is not None and event["stream"] != query["incident"]:
        return False
    if query["types"] and event["type"] not in query["types"]:
        return False
    occurred = chain.micros(event["occurredAt"])
    if query["since"] is not None and occurred < chain.micros(query["since"]):
        return False
    if query["until"] is not None and occurred >= chain.micros(query["until"]):
        return False
    return True


BATCH_LINES = 4096  # ExportVerifier.batchLines: a line that cannot be read is reported where Swift reports it


def batches(reader):
    """Lists of up to BATCH_LINES (number, line); each batch is read whole before its lines are checked."""
    while True:
        batch = []
        while len(batch) < BATCH_LINES:
            line = reader.next_line()
            if line is None:
                break
            batch.append((reader.number, line))
        if not batch:
            return
        yield batch


def describe(position):
    return "none" if position is None else str(position)


def verify_bundle(bundle, key, previous=None):
    """ExportVerifier.verify: the same checks in the same order; raises Failure naming the first that fails.

    `key` is read_key's result and `previous` read_previous's (or None). Returns (kind, count, size, root).
    """
    if not os.path.isdir(bundle):
        raise Unusable(f"no export bundle at {bundle} (a bundle is a directory)")
    path = lambda name: os.path.join(bundle, name)
    listing = contents(bundle)
    if "manifest.json" not in listing or not os.path.isfile(path("manifest.json")):
        raise Failure("the bundle has no manifest.json")
    if not listing["manifest.json"]:
        raise Failure("manifest.json is not a regular file")
    manifest = read_manifest(open(path("manifest.json"), "rb").read())
    kind, query = manifest["kind"], manifest["query"]

    expected = {"events.jsonl", "checkpoint.txt"}
    expected |= {"proofs.jsonl"} if kind == "filtered" else set()
    expected |= {"consistency.json", "previous-checkpoint.txt"} if kind == "incremental" else set()
    csv = "events.csv" in manifest["files"]
    expected |= {"events.csv"} if csv else set()
    if set(manifest["files"]) != expected:
        raise Failure(f"the manifest lists the files {', '.join(by_bytes(manifest['files']))} where a {kind} export has {', '.join(by_bytes(expected))}")
    check_listing(listing, expected)

    origin, size, root = bundle_checkpoint(path("checkpoint.txt"), key)
    if origin != manifest["origin"] or size != manifest["treeSize"] or root.hex() != manifest["rootHash"]:
        raise Failure("the manifest names a different log or tree head than the signed checkpoint")
    for name in by_bytes(expected - {"events.jsonl", "proofs.jsonl", "events.csv"}):
        check_digest(name, file_digest(path(name)), manifest)

    tree = Frontier()
    if kind == "incremental":
        _, old_size, old_root = bundle_checkpoint(path("previous-checkpoint.txt"), key)
        consistency = read_consistency(open(path("consistency.json"), "rb").read())
        hexes = lambda items: [bytes.fromhex(item) for item in items]
        if (consistency["oldSize"], consistency["oldRoot"], consistency["newSize"], consistency["newRoot"]) != (old_size, old_root.hex(), size, root.hex()) \
                or manifest["previousTreeSize"] != old_size:
            raise Failure(f"consistency.json does not join the earlier checkpoint ({old_size} events) to this one ({size})")
        try:
            verify_consistency(old_size, old_root, size, root, hexes(consistency["proof"]))
            tree = Frontier(old_size, hexes(consistency["oldSubtrees"]))
        except Failure as failure:
            raise Failure(f"consistency proof from {old_size} to {size} events: {failure}")
        if tree.root() != old_root:
            raise Failure("the earlier tree's subtree roots in consistency.json do not make the earlier checkpoint's root")

    auditor = None
    if previous:
        _, previous_size, previous_root = previous
        if kind == "filtered":
            raise Unusable("--previous needs a full or incremental export: a filtered export carries no consistency proof")
        if previous_size > size:
            raise Failure(f"the earlier checkpoint covers {previous_size} events, more than this export's checkpoint ({size}): the log shrank or forked")
        if previous_size < tree.size:
            raise Unusable(f"the earlier checkpoint ({previous_size} events) is older than where this incremental export starts ({tree.size}); "
                           "check it against the export that covers it")
        if previous_size == tree.size:
            if previous_root != tree.root():
                raise Failure(f"the earlier checkpoint's root differs from the log's root at {previous_size} events: the log was forked or rewritten")
        else:
            auditor = (previous_size, previous_root)

    events = HashingLines(path("events.jsonl"))
    proofs = HashingLines(path("proofs.jsonl")) if kind == "filtered" else None
    count, first, last, previous_hash = 0, None, None, None
    table = hashlib.sha256(CSV_HEADER) if csv else None
    table_bytes = len(CSV_HEADER)
    reading = batches(events)
    current = next(reading, None)
    while current is not None:
        try:
            following, deferred = next(reading, None), None
        except Failure as failure:
            following, deferred = None, failure
        for number, raw in current:
            place = f"events.jsonl line {number}"
            try:
                event, record = record_of(raw)
            except (Failure, KeyError, ValueError, TypeError, IndexError) as error:
                raise Failure(f"{place}: {error}")
            position, leaf = event["position"], leaf_hash(record)
            if kind == "filtered":
                if last is not None and position <= last:
                    raise Failure(f"{place}: position {position} does not come after {last} (lines swapped or duplicated)")
                if position > size:
                    raise Failure(f"{place}: position {position} is beyond the checkpoint's {size} events")
                if not matches(query, event):
                    raise Failure(f"{place}: the event at position {position} does not match the export's query")
                proof_line = proofs.next_line()
                if proof_line is None:
                    raise Failure(f"proofs.jsonl ends before events.jsonl: no inclusion proof for position {position}")
                try:
                    proved, proof_path = read_proof_line(proof_line)
                except Failure as failure:
                    raise Failure(f"proofs.jsonl line {proofs.number}: {failure}")
                if proved != position:
                    raise Failure(f"proofs.jsonl line {proofs.number} proves position {proved}, not the event's {position}")
                try:
                    verify_inclusion(leaf, position - 1, size, proof_path, root)
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
        if deferred is not None:
            raise deferred
        current = following
    if proofs is not None and proofs.next_line() is not None:
        raise Failure("proofs.jsonl has more lines than events.jsonl (an event line was removed)")
    if kind != "filtered":
        if tree.size != size:
            raise Failure(f"events.jsonl ends at position {tree.size} but the checkpoint covers {size} events (events missing at the end)")
        if tree.root() != root:
            raise Failure("the events do not hash to the checkpoint's root (an event was altered)")
    check_digest("events.jsonl", events.digest(), manifest)
    if proofs is not None:
        check_digest("proofs.jsonl", proofs.digest(), manifest)
    if table is not None:
        check_digest("events.csv", file_digest(path("events.csv")), manifest)
        if (table_bytes, table.hexdigest()) != (manifest["files"]["events.csv"]["bytes"], manifest["files"]["events.csv"]["sha256"]):
            raise Failure("events.csv is not the CSV form of the verified events (a row was changed, added or removed)")
    if (manifest["eventCount"], manifest["firstPosition"], manifest["lastPosition"]) != (count, first, last):
        raise Failure(f"the manifest says {manifest['eventCount']} events at positions {describe(manifest['firstPosition'])}–{describe(manifest['lastPosition'])} "
                      f"but the bundle holds {count} at {describe(first)}–{describe(last)}")
    return kind, count, size, root


def verdict(bundle, key, previous):
    """One bundle's verdict: (True, the ok line) or (False, the refusal), as one line."""
    try:
        kind, count, size, root = verify_bundle(bundle, key, previous)
    except Failure as failure:
        return False, str(failure)
    except (OSError, KeyError, ValueError, TypeError, IndexError, RecursionError) as error:
        return False, f"the bundle is malformed: {error!r}"
    return True, f"ok: {kind} export of {count} events verified against the checkpoint of {size} events, root {root.hex()}"


def verify(bundle, key_path, previous_path=None):
    """Checks one bundle given the key's and the earlier checkpoint's file names."""
    key = read_key(key_path)
    return verify_bundle(bundle, key, read_previous(previous_path, key) if previous_path else None)


def main():
    parser = argparse.ArgumentParser(description="Verify IncidentLedger audit export bundles.")
    parser.add_argument("bundles", nargs="+", metavar="bundle")
    parser.add_argument("--key", required=True, help="the ledger's public key file (incidents keys export)")
    parser.add_argument("--previous", help="an earlier signed checkpoint to check the log against")
    parser.add_argument("--batch", action="store_true", help="verify every bundle given; one line each: BUNDLE<TAB>ok or the refusal")
    arguments = parser.parse_args()
    if len(arguments.bundles) > 1 and not arguments.batch:
        parser.error("give one bundle, or --batch for several")
    try:
        key = read_key(arguments.key)
        previous = read_previous(arguments.previous, key) if arguments.previous else None
    except Failure as failure:
        print(f"verify-export.py: {failure}", file=sys.stderr)
        return 1
    if arguments.batch:
        passed = True
        for bundle in arguments.bundles:
            ok, line = verdict(bundle, key, previous)
            passed = passed and ok
            print(f"{bundle}\t{'ok' if ok else line}")
        return 0 if passed else 1
    ok, line = verdict(arguments.bundles[0], key, previous)
    print(line) if ok else print(f"verify-export.py: {line}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
