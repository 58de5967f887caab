#!/usr/bin/env python3
"""Builds the ledger behind docs/examples/postmortem.*: docs/examples/sample-incident.jsonl plus the
rest of the incident's life, each event recorded (with Debian's faketime) shortly after it happened,
so that only the deliberate late entries are marked late. The clock is stopped at each recording time,
and every event has a fixed id, so the ledger, its chain head and the reports made from it --as-of a
fixed time are the same bytes on every run.

Usage:
    python3 Tools/make-postmortem-example.py .build/release/incidents /tmp/pm-ledger docs/examples/sample-incident.jsonl
    .build/release/incidents postmortem INC-2026-0042 --ledger /tmp/pm-ledger --as-of 2026-05-04T09:00:40Z --output docs/examples/postmortem.md --force
    .build/release/incidents postmortem INC-2026-0042 --ledger /tmp/pm-ledger --as-of 2026-05-04T09:00:40Z --format html --output docs/examples/postmortem.html --force
    Tools/render-html docs/examples/postmortem.html docs/examples/postmortem.png
"""
import json, os, subprocess, sys
from datetime import datetime, timedelta, timezone

binary, ledger = sys.argv[1], sys.argv[2]
sample = sys.argv[3]
INC = "INC-2026-0042"
NOTE_ID = "6f1c2a10-0000-4000-8000-0000000000a1"

def ts(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)

steps = []  # (recorded time, kind, payload)
for line in open(sample):
    line = line.strip()
    if line:
        steps.append((ts(json.loads(line)["occurredAt"]) + timedelta(seconds=40), "jsonl", line))

def cli(at, *args, recorded=None, actor="person:oncall@example.com"):
    when = recorded or ts(at) + timedelta(seconds=40)
    # A fixed id for each event (as the sample's own), so the chain head is the same on every run.
    ids = [] if "--id" in args else ["--id", f"6f1c2a10-0000-4000-8000-{0x100 + len(steps):012x}"]
    steps.append((ts(recorded) if isinstance(recorded, str) else when, "cli", list(args) + ["--at", at, "--actor", actor] + ids))

cli("2026-03-14T23:15:00Z", "assign", INC, "--person", "dana@example.com", "--role", "incident_commander")
cli("2026-03-14T23:35:00Z", "scope", INC, "--customer-segments", "enterprise,business", "--customers-affected", "1200",
    "--note", "Card payments failing for every merchant in eu-west-1")
cli("2026-03-14T23:43:00Z", "escalation", "ack", INC, "--escalation-id", "esc-1", "--by", "escalations@example.com",
    actor="person:escalations@example.com")
cli("2026-03-14T23:45:00Z", "notify", INC, "--groups", "account_managers,executives", "--people", "cto@example.com",
    "--note", "Checkout down in eu-west-1; acme-retail threatens to cancel", actor="person:dana@example.com")
cli("2026-03-14T23:52:00Z", "message", INC, "--message-id", "m-2", "--channel", "chat", "--customer", "globex",
    "--tier", "business", "--subject", "Orders stuck at <payment> step", actor="tool:helpdesk")
cli("2026-03-14T23:58:00Z", "note", INC, "--id", NOTE_ID, "--text", "Globex says the errors come from their own checkout plugin",
    actor="person:support@example.com")
# Recorded late: the on-call filled in the mitigation after the fact.
cli("2026-03-15T00:01:00Z", "status", INC, "--status", "mitigated", "--note", "Gateway pool size rolled back; payments succeeding",
    recorded="2026-03-15T00:35:00Z")
cli("2026-03-15T00:05:00Z", "update", INC, "--status", "monitoring", "--audience", "public", "--channels", "status_page,email",
    "--text", "A fix is in place and payments are recovering. We expect full recovery by 00:10 UTC.\nNext update by 00:20 UTC.",
    "--next-update-by", "2026-03-15T00:20:00Z", "--eta-at", "2026-03-15T00:10:00Z", actor="person:comms@example.com")
cli("2026-03-15T00:27:00Z", "update", INC, "--status", "resolved", "--audience", "public", "--channels", "status_page,email,social_media",
    "--text", "Payments in Europe are working normally again since 00:01 UTC. We are sorry for the disruption; a postmortem will follow.",
    actor="person:comms@example.com")
cli("2026-03-15T00:40:00Z", "escalation", "close", INC, "--escalation-id", "esc-1", "--resolution", "Service credit agreed; acme-retail stays",
    actor="person:escalations@example.com")
cli("2026-03-15T09:10:00Z", "retract", INC, "--target", NOTE_ID, "--reason", "Recorded against the wrong incident (globex's plugin issue is INC-2026-0043)",
    actor="person:support@example.com")
cli("2026-03-16T09:00:00Z", "postmortem", "start", INC, "--owner", "dana@example.com", "--due-at", "2026-03-21T17:00:00Z",
    actor="person:dana@example.com")
cli("2026-03-16T09:30:00Z", "correct", INC, "--target", "6f1c2a10-0000-4000-8000-000000000001",
    "--fields", '{"detectedAt":"2026-03-14T23:07:00Z"}', "--reason", "The first alert fired at 23:07; the page went out at 23:09",
    actor="person:dana@example.com")
cli("2026-03-16T10:00:00Z", "survey", "send", INC, "--survey-id", "s-1", "--customer", "acme-retail", "--channel", "email",
    "--scale", "csat_1_5", actor="tool:surveys")
cli("2026-03-16T10:00:30Z", "survey", "send", INC, "--survey-id", "s-2", "--customer", "globex", "--channel", "email",
    "--scale", "nps_0_10", actor="tool:surveys")
cli("2026-03-17T09:12:00Z", "survey", "answer", INC, "--survey-id", "s-1", "--score", "3",
    "--comment", "Updates were clear, but the fix took over an hour", actor="tool:surveys")
cli("2026-03-18T14:00:00Z", "postmortem", "root-cause", INC, "--category", "configuration",
    "--summary", "A pool-size change to the payment gateway was deployed to all of eu-west-1 at once, without a canary stage",
    actor="person:dana@example.com")
cli("2026-03-18T14:05:00Z", "postmortem", "factor", INC,
    "--summary", "The gateway health check does not cover payment authorisation, so the deploy looked healthy", actor="person:dana@example.com")
cli("2026-03-18T14:06:00Z", "postmortem", "factor", INC,
    "--summary", "The resolved notice waited for a manual sign-off, so customers heard of the recovery 26 minutes after it",
    actor="person:dana@example.com")
cli("2026-03-18T14:10:00Z", "postmortem", "action", INC, "--action-item-id", "ai-1", "--title", "Canary all gateway config changes",
    "--owner", "platform@example.com", "--due-at", "2026-04-15T17:00:00Z", actor="person:dana@example.com")
cli("2026-03-18T14:11:00Z", "postmortem", "action", INC, "--action-item-id", "ai-2", "--title", "Add payment authorisation to the gateway health check",
    "--owner", "payments@example.com", "--due-at", "2026-04-30T17:00:00Z", actor="person:dana@example.com")
cli("2026-03-18T14:12:00Z", "postmortem", "action", INC, "--action-item-id", "ai-3", "--title", "Let the communications lead publish the resolved notice without sign-off",
    "--owner", "comms@example.com", "--due-at", "2026-06-30T17:00:00Z", actor="person:dana@example.com")
cli("2026-03-20T15:00:00Z", "postmortem", "publish", INC, "--document-url", "https://wiki.example.com/pm/INC-2026-0042",
    actor="person:dana@example.com")
cli("2026-03-23T10:00:00Z", "survey", "expire", INC, "--survey-id", "s-2", actor="tool:surveys")
cli("2026-04-10T16:20:00Z", "postmortem", "action-done", INC, "--action-item-id", "ai-1", "--note", "Canary stage added to the deploy pipeline",
    actor="person:platform@example.com")
cli("2026-05-04T09:00:00Z", "close", INC, "--note", "Postmortem published; action items tracked", actor="person:dana@example.com")
# Added for issue 17 after the events above, so that their ids stay as they were: a hand-off between
# regions, an executive sponsor for the customer who threatened to leave, and the review's findings.
cli("2026-03-14T23:55:00Z", "handoff", INC, "--from", "dana@example.com", "--to", "kenji@example.com", "--from-shift", "emea",
    "--to-shift", "apac", "--summary", "Pool-size change suspected; rollback under way. acme-retail waits for a call from the COO.",
    actor="person:dana@example.com")
cli("2026-03-14T23:57:00Z", "sponsorship", "enroll", INC, "--customer", "acme-retail", "--sponsor", "coo@example.com",
    actor="person:escalations@example.com")
cli("2026-03-18T14:20:00Z", "postmortem", "finding", INC, "--kind", "went_well",
    "--text", "Monitoring paged within five minutes of the first failed payment", actor="person:dana@example.com")
cli("2026-03-18T14:21:00Z", "postmortem", "finding", INC, "--kind", "could_be_better",
    "--text", "The resolved notice came 7 minutes after the time the update before it promised", "--author", "comms@example.com", actor="person:dana@example.com")
cli("2026-03-18T14:22:00Z", "postmortem", "finding", INC, "--kind", "got_lucky",
    "--text", "The change went out on a Saturday night, when payment volume is lowest", actor="person:dana@example.com")

steps.sort(key=lambda s: s[0])
env = dict(os.environ, TZ="UTC")
def run(args, when, stdin=None):
    fake = when.strftime("%Y-%m-%d %H:%M:%S")
    # -f with an absolute time stops the clock there (plain `faketime TIME` lets it run on), so every
    # recorded time is the whole second chosen and the example's times are the same on every run.
    out = subprocess.run(["faketime", "-f", fake, binary] + args + ["--ledger", ledger], input=stdin, text=True,
                         capture_output=True, env=env)
    if out.returncode != 0:
        sys.exit(f"failed: {args}: {out.stderr}")
    return out.stdout

run(["init"], steps[0][0] - timedelta(minutes=5))
for when, kind, payload in steps:
    if kind == "jsonl":
        run(["append"], when, stdin=payload + "\n")
    else:
        run(payload, when)
print("ok", len(steps), "steps")
