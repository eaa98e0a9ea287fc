"""A small closed-loop load generator for Liaison on loopback: N logged-in users for D seconds.

Each user is a thread with its own keep-alive connection and session cookie. It repeats: think
(a random pause), then one action — browse the person list (a random page, sometimes filtered by
country), search people by name, open a person, or use the candidate finder (a workshop and a
country, or an expertise area). Only 127.0.0.1, ::1 and localhost are accepted as targets.

Prints throughput and latency percentiles per action and overall; exits with status 1 when a
request failed (anything but HTTP 200) or the overall p95 is above --p95-limit milliseconds.
"""

import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
import urllib.parse

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
ACTIONS = [("list", 30), ("search", 25), ("person", 25), ("finder", 20)]


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class User(threading.Thread):
    def __init__(self, number, *, host, port, cookie, plan, deadline, think, results, seed):
        super().__init__(name=f"user-{number}", daemon=True)
        self.host, self.port = host, port
        self.cookie = f"{plan['cookie_name']}={cookie}; django_language=en"
        self.plan = plan
        self.deadline = deadline
        self.think = think
        self.results = results
        self.random = random.Random(seed)
        self.connection = None

    def url(self, action):
        plan, rng = self.plan, self.random
        if action == "list":
            if rng.random() < 0.3:
                # A country has fewer pages than everyone; the first three exist for each. (Pages count from 1.)
                query = {"country__exact": rng.choice(plan["countries"]), "p": rng.randint(1, 3)}
            else:
                query = {"p": rng.randint(1, plan["pages"])}
            return "/admin/partners/person/?" + urllib.parse.urlencode(query)
        if action == "search":
            return "/admin/partners/person/?" + urllib.parse.urlencode({"q": rng.choice(plan["search_words"])})
        if action == "person":
            return f"/admin/partners/person/{rng.choice(plan['person_ids'])}/change/"
        if rng.random() < 0.7 and plan["workshop_ids"]:
            query = {"workshop": rng.choice(plan["workshop_ids"]), "country": rng.choice(plan["countries"])}
        else:
            query = {"expertise": rng.choice(plan["area_ids"])}
        return "/candidates/?" + urllib.parse.urlencode(query)

    def get(self, path):
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.connection.request("GET", path, headers={"Cookie": self.cookie, "Host": self.host})
                response = self.connection.getresponse()
                response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        return None

    def run(self):
        names, weights = zip(*ACTIONS, strict=True)
        while time.monotonic() < self.deadline:
            if self.think[1] > 0:
                time.sleep(self.random.uniform(*self.think))
            if time.monotonic() >= self.deadline:
                break
            action = self.random.choices(names, weights)[0]
            path = self.url(action)
            started = time.perf_counter()
            try:
                status = self.get(path)
                error = None if status == 200 else f"HTTP {status}"
            except Exception as exception:  # noqa: BLE001 - every failure is counted, none stops the run
                error = f"{type(exception).__name__}: {exception}"
                self.connection = None
            elapsed = (time.perf_counter() - started) * 1000
            self.results.append((action, elapsed, error, path))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plan", required=True, help="The plan written by prepare.py.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60, help="Seconds (default 60).")
    parser.add_argument(
        "--think", default="2,8", help="Pause before each request, min,max seconds (default 2,8; 0,0 = none)."
    )
    parser.add_argument("--p95-limit", type=float, default=800, help="Fail above this p95 in ms (default 800).")
    parser.add_argument("--json", help="Also write the summary as JSON to this file.")
    arguments = parser.parse_args()
    if arguments.host not in LOOPBACK:
        sys.exit(f"Refusing to load {arguments.host}: this tool only targets loopback ({', '.join(sorted(LOOPBACK))}).")
    with open(arguments.plan, encoding="utf-8") as plan_file:
        plan = json.load(plan_file)
    if len(plan["sessions"]) < arguments.users:
        sys.exit(f"The plan has {len(plan['sessions'])} sessions for {arguments.users} users.")
    think = tuple(float(part) for part in arguments.think.split(","))

    results = []
    started = time.monotonic()
    deadline = started + arguments.duration
    users = [
        User(
            number,
            host=arguments.host,
            port=arguments.port,
            cookie=plan["sessions"][number],
            plan=plan,
            deadline=deadline,
            think=think,
            results=results,
            seed=number,
        )
        for number in range(arguments.users)
    ]
    for user in users:
        user.start()
    for user in users:
        user.join()
    elapsed = time.monotonic() - started

    summary = summarize(results, elapsed=elapsed, users=arguments.users, think=think)
    print_summary(summary)
    if arguments.json:
        with open(arguments.json, "w", encoding="utf-8") as output:
            json.dump(summary, output, indent=2)
    failed = summary["errors"] > 0 or (summary["p95_ms"] or 0) > arguments.p95_limit
    sys.exit(1 if failed else 0)


def summarize(results, *, elapsed, users, think):
    def stats(rows):
        times = [ms for _action, ms, _error, _path in rows]
        return {
            "requests": len(rows),
            "errors": sum(1 for row in rows if row[2]),
            "p50_ms": round(percentile(times, 0.50), 1) if times else None,
            "p95_ms": round(percentile(times, 0.95), 1) if times else None,
            "p99_ms": round(percentile(times, 0.99), 1) if times else None,
            "max_ms": round(max(times), 1) if times else None,
            "mean_ms": round(statistics.fmean(times), 1) if times else None,
        }

    summary = {
        "users": users,
        "think_seconds": list(think),
        "duration_s": round(elapsed, 1),
        **stats(results),
        "throughput_rps": round(len(results) / elapsed, 1),
        "actions": {name: stats([r for r in results if r[0] == name]) for name, _weight in ACTIONS},
        "first_errors": [f"{error} {path}" for _action, _ms, error, path in results if error][:10],
    }
    return summary


def print_summary(summary):
    print(
        f"{summary['users']} users, think {summary['think_seconds'][0]}–{summary['think_seconds'][1]} s, "
        f"{summary['duration_s']} s: {summary['requests']} requests, {summary['throughput_rps']} req/s, "
        f"{summary['errors']} errors"
    )
    print("| action | requests | errors | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, row in [*summary["actions"].items(), ("all", summary)]:
        print(
            f"| {name} | {row['requests']} | {row['errors']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['p99_ms']} | {row['max_ms']} |"
        )
    for line in summary["first_errors"]:
        print("  error:", line)


if __name__ == "__main__":
    main()
