#!/usr/bin/env python3
"""Generate a synthetic kb knowledge base of N postmortems for benchmarks.

Usage: bench/gen.py N DIR [--seed S]

Each postmortem is 3-4 KB of Markdown with TOML or YAML front matter, 5-12
timeline events, 2-6 action items, several services and causes, and start
times spread over five years so that some incidents overlap. Output is
deterministic for a given N and seed.
"""
import argparse
import os
import random
from datetime import datetime, timedelta, timezone

SERVICES = ["storefront", "checkout", "payments", "search", "auth", "inventory",
            "notifications", "api-gateway", "orders-db", "cdn", "recommendations",
            "shipping", "reviews", "pricing", "media", "accounts"]
CAUSES = ["memory-leak", "bad-deploy", "config-change", "capacity", "certificate-expiry",
          "dns", "third-party-outage", "database-lock", "disk-full", "expired-credentials",
          "network-partition", "race-condition"]
TRIGGERS = ["deploy", "traffic-spike", "config-push", "cron-job", "certificate-rotation", "failover"]
DETECTIONS = ["monitoring", "customer-report", "synthetic-check", "on-call-engineer"]
SEVERITIES = ["SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3", "SEV4", "SEV4"]
OWNERS = ["Priya Raman", "Jonas Weber", "Amara Okafor", "Lucia Fernandez", "Team Payments",
          "Team Storefront", "SRE", "Mateo Rossi", "Hannah Kim", "Platform Team"]
VERBS = ["rolled back", "restarted", "scaled out", "drained", "failed over", "patched",
         "reconfigured", "throttled", "paged", "investigated"]
NOUNS = ["the connection pool", "the primary replica", "the ingress controller", "the cache tier",
         "the worker fleet", "the message queue", "the TLS terminator", "the scheduler",
         "the rate limiter", "the feature flag service", "the DNS resolver", "the batch importer"]
SYMPTOMS = ["elevated 502 responses", "p99 latency above 4 seconds", "timeouts on login",
            "failed card authorisations", "stale search results", "a growing email backlog",
            "pods in CrashLoopBackOff", "disk usage at 98%", "lock waits on the orders table",
            "certificate errors in browsers"]


def sentence(rng):
    return (f"The on-call engineer {rng.choice(VERBS)} {rng.choice(NOUNS)} after seeing "
            f"{rng.choice(SYMPTOMS)} on the {rng.choice(SERVICES)} dashboard.")


def paragraph(rng, n):
    return " ".join(sentence(rng) for _ in range(n))


def postmortem(i, rng, base):
    start = base + timedelta(minutes=rng.randrange(0, 5 * 365 * 24 * 60))
    duration = timedelta(minutes=int(rng.lognormvariate(4.2, 1.0)) + 5)
    detected = start + timedelta(minutes=rng.randrange(0, 20))
    ack = detected + timedelta(minutes=rng.randrange(0, 10))
    mitigated = start + (duration * rng.uniform(0.4, 0.9))
    resolved = start + duration
    # kb refuses a resolution before the detection (a negative interval).
    detected = min(detected, resolved)
    services = rng.sample(SERVICES, rng.randrange(1, 4))
    causes = rng.sample(CAUSES, rng.randrange(1, 3))
    severity = rng.choice(SEVERITIES)
    title = f"{services[0].replace('-', ' ').title()} {rng.choice(SYMPTOMS)} ({i})"
    n_events = rng.randrange(5, 13)
    step = duration / (n_events - 1)
    events = [(start + step * k, sentence(rng)) for k in range(n_events)]
    actions = []
    for a in range(rng.randrange(2, 7)):
        status = rng.choice(["open", "open", "done", "done", "wontfix"])
        due = (start + timedelta(days=rng.randrange(7, 200))).date()
        actions.append((f"Follow-up {a + 1}: {rng.choice(VERBS)} {rng.choice(NOUNS)}",
                        rng.choice(OWNERS), status, due, f"P{rng.randrange(1, 4)}"))
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    if i % 2 == 0:
        fm = ["+++", f'title = "{title}"', f'severity = "{severity}"',
              f"services = {services!r}".replace("'", '"'),
              f"causes = {causes!r}".replace("'", '"'),
              f'trigger = "{rng.choice(TRIGGERS)}"', f'detection = "{rng.choice(DETECTIONS)}"',
              f"started = {start.strftime(fmt)}", f"detected = {detected.strftime(fmt)}",
              f"acknowledged = {ack.strftime(fmt)}", f"mitigated = {mitigated.strftime(fmt)}",
              f"resolved = {resolved.strftime(fmt)}", "", "[impact]",
              f"users_pct = {rng.randrange(1, 100)}", ""]
        for t, owner, status, due, prio in actions:
            fm += ["[[actions]]", f'title = "{t}"', f'owner = "{owner}"', f'status = "{status}"',
                   f"due = {due}", f'priority = "{prio}"', ""]
        fm.append("+++")
    else:
        fm = ["---", f'title: "{title}"', f"severity: {severity}",
              f"services: [{', '.join(services)}]", f"causes: [{', '.join(causes)}]",
              f"trigger: {rng.choice(TRIGGERS)}", f"detection: {rng.choice(DETECTIONS)}",
              f"started: {start.strftime(fmt)}", f"detected: {detected.strftime(fmt)}",
              f"acknowledged: {ack.strftime(fmt)}", f"mitigated: {mitigated.strftime(fmt)}",
              f"resolved: {resolved.strftime(fmt)}", "impact:",
              f"  users_pct: {rng.randrange(1, 100)}", "actions:"]
        for t, owner, status, due, prio in actions:
            fm += [f'  - title: "{t}"', f"    owner: {owner}", f"    status: {status}",
                   f'    due: "{due}"', f"    priority: {prio}"]
        fm.append("---")
    body = ["", "## Summary", "", paragraph(rng, 3), "", "## Impact", "", paragraph(rng, 2), "",
            "## Timeline", ""]
    body += [f"- {t.strftime('%H:%M')} UTC — {text}" for t, text in events]
    body += ["", "## Root Cause", "", paragraph(rng, 4), "", "## Resolution", "", paragraph(rng, 3),
             "", "## Lessons Learned", "", "- " + sentence(rng), "- " + sentence(rng), ""]
    return "\n".join(fm + body)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int)
    p.add_argument("dir")
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()
    rng = random.Random(args.seed)
    base = datetime(2021, 1, 1, tzinfo=timezone.utc)
    content = os.path.join(args.dir, "content")
    os.makedirs(content, exist_ok=True)
    with open(os.path.join(args.dir, "site.toml"), "w") as f:
        f.write('title = "Synthetic incidents"\nbase_url = "https://bench.example/"\n'
                'timezone = "Europe/Berlin"\n')
    for i in range(args.n):
        year_dir = os.path.join(content, str(2021 + i % 5))
        os.makedirs(year_dir, exist_ok=True)
        with open(os.path.join(year_dir, f"pm-{i:05d}.md"), "w") as f:
            f.write(postmortem(i, rng, base))


if __name__ == "__main__":
    main()
