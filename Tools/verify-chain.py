#!/usr/bin/env python3
"""Recompute an IncidentLedger hash chain from `incidents log --json` output, independently.

Usage:
    incidents log --json | python3 Tools/verify-chain.py

Rebuilds each record's canonical bytes (docs/record-format.md: record format 1, or format 2 for
an event with sourceRecordedAt) from its JSON line, checks that every record's previousHash is the SHA-256 of the record before it, and prints
the chain head: the position and hash that `incidents verify` prints. Standard library only, so
it does not have to trust the ledger's own code. Exit status 0 when the chain holds, 1 otherwise.
"""
import datetime
import hashlib
import json
import struct
import sys
import uuid

ACTOR_KINDS = {"person": 1, "tool": 2, "system": 3}
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def micros(text):
    """RFC 3339 text as integer microseconds since the Unix epoch."""
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (moment - EPOCH) // datetime.timedelta(microseconds=1)


def string(value):
    data = (value or "").encode("utf-8")
    return struct.pack(">H", len(data)) + data


def canonical_json(value):
    """The canonical JSON text: sorted keys (by UTF-8 bytes), no spaces, minimal escaping."""
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda item: item[0].encode("utf-8"))
        return "{" + ",".join(canonical_json(k) + ":" + canonical_json(v) for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, str):
        out = ['"']
        for ch in value:
            code = ord(ch)
            if ch == '"':
                out.append('\\"')
            elif ch == "\\":
                out.append("\\\\")
            elif ch in "\b\f\n\r\t":
                out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
            elif code < 0x20:
                out.append("\\u%04x" % code)
            else:
                out.append(ch)
        out.append('"')
        return "".join(out)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    raise ValueError("non-integer numbers need the ledger's own text; use integers in this check")


def record_bytes(event, payload_text):
    """Format 1, or format 2 (format 1's fields, then sourceRecordedAt) when the event has one."""
    source_recorded = event.get("sourceRecordedAt")
    return b"".join([
        bytes([1 if source_recorded is None else 2]),
        struct.pack(">QQ", event["position"], event["version"]),
        uuid.UUID(event["id"]).bytes,
        bytes.fromhex(event["previousHash"]),
        struct.pack(">qq", micros(event["occurredAt"]), micros(event["recordedAt"])),
        struct.pack(">H", event["schemaVersion"]),
        bytes([ACTOR_KINDS[event["actor"]["kind"]]]),
        string(event["stream"]),
        string(event["type"]),
        string(event["actor"]["id"]),
        string(event["source"]),
        string(event.get("correlationId")),
        string(event.get("causationId")),
        struct.pack(">I", len(payload_text)) + payload_text,
        b"" if source_recorded is None else struct.pack(">q", micros(source_recorded)),
    ])


def payload_of(line):
    """The payload's exact bytes as printed (canonical already), cut from the line itself."""
    start = line.index(b'"payload":') + len(b'"payload":')
    depth, index, in_string, escaped = 0, start, False, False
    while True:
        byte = line[index]
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte == 0x7B:
            depth += 1
        elif byte == 0x7D:
            depth -= 1
            if depth == 0:
                return line[start:index + 1]
        index += 1


def main():
    previous = bytes(32)
    position = 0
    for raw in sys.stdin.buffer:
        raw = raw.rstrip(b"\n")
        if not raw:
            continue
        event = json.loads(raw)
        position += 1
        payload = payload_of(raw)
        if event["position"] != position:
            print(f"position {position}: the export jumps to position {event['position']}", file=sys.stderr)
            return 1
        if bytes.fromhex(event["previousHash"]) != previous:
            print(f"position {position}: previousHash does not match the record before it", file=sys.stderr)
            return 1
        floats = []
        json.loads(payload, parse_float=lambda text: floats.append(text) or float(text))
        if not floats and canonical_json(event["payload"]).encode("utf-8") != payload:
            print(f"position {position}: the payload is not in canonical form", file=sys.stderr)
            return 1
        previous = hashlib.sha256(record_bytes(event, payload)).digest()
    print(f"ok: {position} events; chain head {previous.hex()} at position {position}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
