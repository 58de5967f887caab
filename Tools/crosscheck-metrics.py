#!/usr/bin/env python3
"""Independent cross-check of headline metrics, straight from exported events.

    incidents log --json | python3 Tools/crosscheck-metrics.py

Reads JSON Lines events (the output of `incidents log --json`) and computes, with its own reading of
docs/metrics.md and nothing of the ledger's code, a handful of headline figures over all incidents:
time_to_acknowledge, time_to_resolve_from_declaration, time_to_first_reply, longest_update_gap,
time_to_first_public_update and time_to_first_public_update_from_declaration (n,
mean, median, p90, p95, max; the median is the mean of the two middle values of an even count,
p90 and p95 are nearest-rank), sla_resolution and csat (yes of n). Prints
them as one JSON object. Standard library only.

A status update counts for the time to first public update when it was posted: its `postedAt` when the
source back-dated it, else its `occurredAt`.

Times the source never recorded (`unknownTimes` of the declaration, set by importers) are no times:
`all` (back-filled) leaves the incident out of every clock, `start` out of those from the declaration.

A scheduled maintenance outside the standard playbook policy (docs/playbook.md: a window opening on
Saturday night, 22:00 to 06:00 UTC, at most 20 minutes, announced 72 hours ahead, resolved by its end)
is unplanned: the response clocks leave it out with the reason `maintenance outside the policy`
rather than `scheduled maintenance`. The ledger must have no other policy set.
"""
import json
import math
import sys
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def micros(text):
    """RFC 3339 → microseconds since the epoch."""
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    delta = moment - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def keeps_standard_policy(declaration, resolved):
    """Whether a scheduled maintenance keeps the standard policy, read independently of the ledger."""
    payload = declaration["payload"]
    start, end = micros(payload["plannedStart"]), micros(payload["plannedEnd"])
    declared = micros(declaration["occurredAt"])
    opened = datetime.fromtimestamp(start // 1_000_000, timezone.utc)
    # The Saturday night it falls in opens at 22:00 on the Saturday on or before it and closes 8 hours later.
    saturday = opened.date() - timedelta(days=(opened.weekday() - 5) % 7)
    night = micros(datetime(saturday.year, saturday.month, saturday.day, 22, tzinfo=timezone.utc).isoformat())
    in_hours = night <= start and end <= night + 8 * 3600 * 10**6
    short_enough = end - start <= 20 * 60 * 10**6
    announced = end > declared and start - declared >= 72 * 3600 * 10**6
    on_time = resolved is None or resolved <= end
    return in_hours and short_enough and announced and on_time


def seconds(start, stop):
    """Whole seconds from start to stop, truncated toward zero (as the ledger does)."""
    diff = stop - start
    return diff // 1_000_000 if diff >= 0 else -((-diff) // 1_000_000)


def nearest_rank(values, p):
    rank = max(1, math.ceil(p * len(values) / 100))
    return values[min(rank, len(values)) - 1]


def median(values):
    """The conventional median of sorted values: the middle one, or the mean of the two middle ones."""
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def summary(values, excluded):
    values = sorted(values)
    out = {"count": len(values), "excluded": excluded}
    if values:
        out.update(mean=sum(values) / len(values), median=median(values), p90=nearest_rank(values, 90),
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


BACKFILLED = "back-filled by the source: times not known"
START_UNKNOWN = "start not known: the source's times conflict"
PUBLIC = ("public", "affected_customers")


def open_periods(events):
    """The periods the incident was open, in stream order (the order the rules accepted the lifecycle in):
    a declaration or reopening opens one (never before the end of the last), a resolution, closure or
    merge ends it (never before its start)."""
    periods = []
    for event in sorted(events, key=lambda e: e["position"]):
        at = micros(event["occurredAt"])
        kind = event["type"]
        if kind in ("incident.declared", "incident.reopened"):
            if not periods:
                periods.append([at, None])
            elif periods[-1][1] is not None:
                periods.append([max(at, periods[-1][1]), None])
        elif kind in ("incident.resolved", "incident.closed", "incident.merged"):
            if periods and periods[-1][1] is None:
                periods[-1][1] = max(at, periods[-1][0])
    return periods


def longest_gap(events):
    """The longest wait after a public update published while open: to the next public update, or the
    end of its open period. None when no public update was published while open."""
    updates = sorted((micros(e["occurredAt"]), e["position"]) for e in events
                     if e["type"] == "status_update.published" and e["payload"].get("audience", "public") in PUBLIC)
    periods = open_periods(events)
    longest = None
    for index, (at, _) in enumerate(updates):
        period = next((p for p in periods if p[0] <= at and (p[1] is None or at < p[1])), None)
        if period is None:
            continue
        following = updates[index + 1][0] if index + 1 < len(updates) else None
        end = following if following is not None and (period[1] is None or following <= period[1]) else period[1]
        gap = seconds(at, end if end is not None else at)  # still open: the metrics take no "now"
        longest = gap if longest is None or gap > longest else longest
    return longest


def main():
    incidents = {}
    for line in sys.stdin:
        if line.strip():
            event = json.loads(line)
            incidents.setdefault(event["stream"], []).append(event)

    gap, gap_ex = [], {}
    first_update, first_update_ex = [], {}
    first_update_decl, first_update_decl_ex = [], {}
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

        # A maintenance outside the policy counts as unplanned, but its declaration is an announcement,
        # not an outage's start: the response clocks leave it out with its own reason.
        planned = "maintenance outside the policy" if not unplanned and not keeps_standard_policy(declaration, resolved) else "scheduled maintenance"
        unknown = declaration["payload"].get("unknownTimes")
        if not unplanned:
            exclude(ack_ex, planned)
            exclude(resolve_ex, planned)
            exclude(gap_ex, planned)
        elif unknown is not None:
            reason = BACKFILLED if unknown == "all" else START_UNKNOWN
            exclude(ack_ex, reason)
            exclude(resolve_ex, reason)
            if unknown == "all":
                exclude(gap_ex, reason)
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
        posted = [micros(e["payload"].get("postedAt") or e["occurredAt"]) for e in events
                  if e["type"] == "status_update.published" and e["payload"].get("audience", "public") in PUBLIC]
        if not unplanned:
            exclude(first_update_ex, planned)
            exclude(first_update_decl_ex, planned)
        else:
            impact = declaration["payload"].get("impactStartedAt")
            if unknown == "all":
                exclude(first_update_ex, BACKFILLED)
            elif impact is None:
                exclude(first_update_ex, "impact start not recorded")
            elif not posted:
                exclude(first_update_ex, "no public update")
            else:
                first_update.append(seconds(micros(impact), min(posted)))
            if unknown is not None:
                exclude(first_update_decl_ex, BACKFILLED if unknown == "all" else START_UNKNOWN)
            elif not posted:
                exclude(first_update_decl_ex, "no public update")
            else:
                first_update_decl.append(seconds(declared, min(posted)))
        if unplanned and unknown != "all":
            longest = longest_gap(events)
            if resolved is None:
                exclude(gap_ex, "still open")
            elif longest is None:
                exclude(gap_ex, "no public update while open")
            else:
                gap.append(longest)

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

        if unplanned and resolved is not None and unknown is None:
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
        "longest_update_gap": summary(gap, gap_ex),
        "time_to_first_public_update": summary(first_update, first_update_ex),
        "time_to_first_public_update_from_declaration": summary(first_update_decl, first_update_decl_ex),
        "sla_resolution": {"yes": sla[0], "count": sla[1]},
        "csat": {"yes": csat[0], "count": csat[1]},
    }, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
