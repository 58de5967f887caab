#!/usr/bin/env python3
"""Independent cross-check of headline metrics, straight from exported events.

    incidents log --json | python3 Tools/crosscheck-metrics.py

Reads JSON Lines events (the output of `incidents log --json`) and computes, with its own reading of
docs/metrics.md and nothing of the ledger's code, a handful of headline figures over all incidents:
time_to_acknowledge, time_to_resolve_from_declaration, time_to_first_reply (n, mean, median, p90,
p95, max, nearest-rank percentiles), sla_resolution and csat (yes of n). Prints them as one JSON
object. Standard library only.
"""
import json
import math
import sys
from datetime import datetime, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def micros(text):
    """RFC 3339 → microseconds since the epoch."""
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    delta = moment - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def seconds(start, stop):
    """Whole seconds from start to stop, truncated toward zero (as the ledger does)."""
    diff = stop - start
    return diff // 1_000_000 if diff >= 0 else -((-diff) // 1_000_000)


def nearest_rank(values, p):
    rank = max(1, math.ceil(p * len(values) / 100))
    return values[min(rank, len(values)) - 1]


def summary(values, excluded):
    values = sorted(values)
    out = {"count": len(values), "excluded": excluded}
    if values:
        out.update(mean=sum(values) / len(values), median=nearest_rank(values, 50), p90=nearest_rank(values, 90),
                   p95=nearest_rank(values, 95), maximum=values[-1])
    return out


def effective(events):
    """Apply corrections (payload fields replaced) and retractions (target removed) within one incident."""
    patches, retracted = {}, set()
    for event in events:
        if event["type"] == "event.corrected":
            patches.setdefault(event["payload"]["target"].lower(), {}).update(event["payload"]["fields"])
        elif event["type"] == "event.retracted":
            retracted.add(event["payload"]["target"].lower())
    out = []
    for event in events:
        if event["id"].lower() in retracted:
            continue
        if event["id"].lower() in patches:
            event = dict(event, payload=dict(event["payload"], **patches[event["id"].lower()]))
        out.append(event)
    return out


def main():
    incidents = {}
    for line in sys.stdin:
        if line.strip():
            event = json.loads(line)
            incidents.setdefault(event["stream"], []).append(event)

    ack, ack_ex = [], {}
    resolve, resolve_ex = [], {}
    reply, reply_ex = [], {}
    sla = [0, 0]
    csat = [0, 0]

    def exclude(table, reason):
        table[reason] = table.get(reason, 0) + 1

    for stream, events in incidents.items():
        events = sorted(effective(events), key=lambda e: (micros(e["occurredAt"]), e["position"]))
        declarations = [e for e in events if e["type"] == "incident.declared"]
        if not declarations:
            continue
        declaration = declarations[0]
        declared = micros(declaration["occurredAt"])
        unplanned = declaration["payload"].get("kind", "unplanned") == "unplanned"
        severity = declaration["payload"]["severity"]
        acknowledged = resolved = None
        for event in events:
            kind = event["type"]
            if kind == "incident.acknowledged" and acknowledged is None:
                acknowledged = micros(event["occurredAt"])
            elif kind == "incident.resolved":
                resolved = micros(event["occurredAt"])
            elif kind == "incident.reopened":
                resolved = None
            elif kind == "incident.severity_changed":
                severity = event["payload"]["severity"]

        if not unplanned:
            exclude(ack_ex, "scheduled maintenance")
            exclude(resolve_ex, "scheduled maintenance")
        else:
            detected = declaration["payload"].get("detectedAt")
            start = micros(detected) if detected else declared
            if acknowledged is None:
                exclude(ack_ex, "not acknowledged")
            else:
                ack.append(seconds(start, acknowledged))
            if resolved is None:
                exclude(resolve_ex, "still open")
            else:
                resolve.append(seconds(declared, resolved))

        first_reply = {}
        for event in events:
            if event["type"] == "customer.reply_sent":
                first_reply.setdefault(event["payload"]["inReplyTo"], micros(event["occurredAt"]))
        for event in events:
            if event["type"] == "customer.message_received":
                answered = first_reply.get(event["payload"]["messageId"])
                if answered is None:
                    exclude(reply_ex, "unanswered")
                else:
                    reply.append(seconds(micros(event["occurredAt"]), answered))

        if unplanned and resolved is not None:
            for event in events:
                if event["type"] == "sla.policy_attached":
                    for target in event["payload"]["targets"]:
                        if target["severity"] == severity and "resolutionMinutes" in target:
                            sla[1] += 1
                            sla[0] += seconds(declared, resolved) <= target["resolutionMinutes"] * 60

        scales = {e["payload"]["surveyId"]: e["payload"]["scale"] for e in events if e["type"] == "survey.sent"}
        for event in events:
            if event["type"] == "survey.answered" and scales.get(event["payload"]["surveyId"]) == "csat_1_5":
                csat[1] += 1
                csat[0] += event["payload"]["score"] >= 4

    print(json.dumps({
        "time_to_acknowledge": summary(ack, ack_ex),
        "time_to_resolve_from_declaration": summary(resolve, resolve_ex),
        "time_to_first_reply": summary(reply, reply_ex),
        "sla_resolution": {"yes": sla[0], "count": sla[1]},
        "csat": {"yes": csat[0], "count": csat[1]},
    }, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
