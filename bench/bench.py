#!/usr/bin/env python3
"""Trackly's benchmark (SPEC §8.1, §9): load each endpoint with wrk at 64 connections, run
the pgbench and /healthz baselines in the same invocation, measure p99 at 70% of each
peak, the server's RSS, the stats latency over 1,000,000 clicks, links followed among
1,000,000 (100,000 of them clicked in random order), 100,000 links made in bulk, and
that every redirect is a row. Prints one table, writes it as JSON under bench/results/
and into the README.

Run it through bench/run, which installs the tools and builds the release binary."""

import argparse
import shutil
import datetime
import http.cookiejar
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "trackly")
SERVER = os.environ.get("TRACKLY_BENCH_SERVER", "postgres://postgres@127.0.0.1:5432")
# Everything runs on one machine: the server and pgbench alike talk to PostgreSQL over
# loopback without TLS, which would otherwise cost both ~10% of their CPU.
PARAMS = "?sslmode=disable"
BENCH_DB = "trackly_bench"
DATA_DIR = os.path.join(ROOT, "bench", "results", "data")
FILL_SPOOL = os.path.join(ROOT, "target", "release", "examples", "fill_spool")
PGBENCH_DB = "trackly_bench_pgbench"
LINK_IDS = os.path.join(ROOT, "bench", "results", "link_ids.txt")
KEY = "trk_benchbenchbenchbenchbenchbench12"
PORT = 18181
BASE = f"http://127.0.0.1:{PORT}"
CONNECTIONS = 64


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(command, **kwargs):
    return subprocess.run(command, check=True, text=True, capture_output=True, **kwargs)


def psql(database, sql, *variables):
    args = ["psql", f"{SERVER}/{database}{PARAMS}", "-v", "ON_ERROR_STOP=1", "-qAt"]
    for name, value in variables:
        args += ["-v", f"{name}={value}"]
    return run(args + ["-c", sql]).stdout.strip()


def psql_file(database, path, *variables):
    args = ["psql", f"{SERVER}/{database}{PARAMS}", "-v", "ON_ERROR_STOP=1", "-q"]
    for name, value in variables:
        args += ["-v", f"{name}={value}"]
    run(args + ["-f", path])


def recreate(database):
    psql("postgres", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    psql("postgres", f'CREATE DATABASE "{database}"')


# --- the server -------------------------------------------------------------------------

class Server:
    """`trackly serve` on the benchmark database with its own data directory (the click
    spool), its log in bench/results/<log_name>."""

    def __init__(self, data_dir=DATA_DIR, log_name="server.log", env=None, port=PORT):
        # Two glibc malloc arenas, as the Docker image runs the server: with one per thread
        # (up to 16 here), each kept the freed peak of whatever ran on its threads.
        env = dict(os.environ, DATABASE_URL=f"{SERVER}/{BENCH_DB}{PARAMS}", TRACKLY_BOOTSTRAP_API_KEY=KEY,
                   TRACKLY_BIND=f"127.0.0.1:{port}", TRACKLY_DATA_DIR=data_dir,
                   RUST_LOG=os.environ.get("RUST_LOG", "info"),
                   MALLOC_ARENA_MAX=os.environ.get("MALLOC_ARENA_MAX", "2"), **(env or {}))
        self.data_dir = data_dir
        self.log_path = os.path.join(ROOT, "bench", "results", log_name)
        self.log = open(self.log_path, "w")
        self.started = time.time()
        self.process = subprocess.Popen([BINARY, "serve"], env=env, stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the server did not become ready")

    def rss_kib(self):
        fields = {}
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])

    def cpu_seconds(self):
        return process_cpu_seconds(self.process.pid)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=15)
        self.log.close()
        return code

    def writer_summary(self):
        """The click writer's own count at shutdown: stored, dropped, lost."""
        with open(self.log_path) as log_file:
            match = re.search(r"click writer stopped: (\d+) stored, (\d+) dropped \(.*?\), (\d+) lost", log_file.read())
        return tuple(map(int, match.groups())) if match else (None, None, None)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid, fields_at=(11, 12)):
    """utime + stime of one process (all its threads), from /proc; with `fields_at`
    (13, 14), cutime + cstime: the CPU of its children that have exited."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[fields_at[0]]) + int(fields[fields_at[1]])) / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def postgres_cpu_seconds():
    """CPU of every PostgreSQL process (backends, WAL writer, checkpointer…): what the
    database spends, whoever asked. Backends that have exited (pgbench's, at the end of
    its run) count through the postmaster, which reaps them: its children's CPU."""
    pids = run(["pgrep", "-x", "postgres"]).stdout.split() if run_ok(["pgrep", "-x", "postgres"]) else []
    postmaster = run(["pgrep", "-o", "-x", "postgres"]).stdout.strip() if pids else None
    reaped = process_cpu_seconds(postmaster, fields_at=(13, 14)) if postmaster else 0.0
    return sum(process_cpu_seconds(pid) for pid in pids) + reaped


def run_ok(command):
    return subprocess.run(command, capture_output=True).returncode == 0


def spool_drained(data_dir):
    """True when the writer has committed every spooled click: the commit watermark
    stands at the end of the newest segment (or the spool is empty)."""
    spool = os.path.join(data_dir, "spool")
    segments = sorted(name for name in os.listdir(spool) if name.endswith(".seg")) if os.path.isdir(spool) else []
    if not segments:
        return True
    newest = segments[-1]
    size = os.path.getsize(os.path.join(spool, newest))
    try:
        with open(os.path.join(spool, "COMMITTED")) as watermark:
            segment, offset = map(int, watermark.read().split())
    except (OSError, ValueError):
        return False
    return len(segments) == 1 and segment == int(newest.split(".")[0]) and offset == size


def api(method, path, body=None):
    request = urllib.request.Request(f"{BASE}{path}", method=method, headers={"X-Api-Key": KEY})
    if body is not None:
        request.data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


# --- load -------------------------------------------------------------------------------

WRK_LATENCY = re.compile(r"^\s+(50|75|90|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def wrk(url, script, seconds, env=None, delay_ms=0, server=None):
    """Runs wrk; returns requests/s, p50 and p99 in ms, answered requests, errors and, with
    `server`, the CPU time per request of the server and of PostgreSQL in µs."""
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency",
               "-s", os.path.join("bench", "wrk", script), url]
    environment = dict(os.environ, TRACKLY_KEY=KEY, WRK_DELAY_MS=str(delay_ms), **(env or {}))
    cpu_before = (server.cpu_seconds(), postgres_cpu_seconds()) if server else None
    output = run(command, cwd=ROOT, env=environment).stdout
    cpu_after = (server.cpu_seconds(), postgres_cpu_seconds()) if server else None
    # Rounded to wrk's own precision, so "832.00us" is 0.832 ms, not 0.8320000000000001.
    latencies = {int(p): round(float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 3)
                 for p, v, unit in WRK_LATENCY.findall(output)}
    total = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latencies.get(50),
        "p99_ms": latencies.get(99),
        "requests": total,
        "non_2xx_3xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }
    if server and total:
        result["server_cpu_us"] = round((cpu_after[0] - cpu_before[0]) * 1e6 / total, 1)
        result["postgres_cpu_us"] = round((cpu_after[1] - cpu_before[1]) * 1e6 / total, 1)
    return result


def settle(data_dir=DATA_DIR):
    """Starts every measurement from the same quiet state: the click writer has stored
    what earlier runs spooled, the planner's statistics include the rows earlier runs
    wrote (ANALYZE, as autovacuum keeps them in production), and dirty pages are flushed
    (CHECKPOINT), so no run pays for the previous one's writes."""
    deadline = time.time() + 300
    while not spool_drained(data_dir) and time.time() < deadline:
        time.sleep(0.2)
    psql(BENCH_DB, "ANALYZE")
    psql(BENCH_DB, "CHECKPOINT")


def measure(name, url, script, seconds, env=None, server=None):
    """A peak run, then a run paced to about 70% of that peak for the p99 target."""
    settle()
    peak = wrk(url, script, seconds, env, server=server)
    target = 0.7 * peak["rps"]
    # Each connection waits `delay` ms after each answer, so together they send at most
    # `target` requests a second (less by the time each request takes).
    delay = max(1, round(1000.0 * CONNECTIONS / target))
    paced = wrk(url, script, max(3, seconds // 2), env, delay_ms=delay)
    log(f"{name}: {peak['rps']:.0f} req/s peak, p99 {paced['p99_ms']} ms at {paced['rps']:.0f} req/s")
    return {"peak": peak, "paced": paced, "paced_target_rps": target}


def pgbench(script_args, seconds, database=PGBENCH_DB):
    return pgbench_with_cpu(script_args, seconds, database)[0]


def pgbench_with_cpu(script_args, seconds, database=PGBENCH_DB):
    """pgbench's TPS, and PostgreSQL's CPU per transaction in µs over the same run."""
    cpu_before = postgres_cpu_seconds()
    output = run(["pgbench", "-n", "-c", str(CONNECTIONS), "-j", "2", "-T", str(seconds)] + script_args
                 + [f"{SERVER}/{database}{PARAMS}"]).stdout
    cpu_after = postgres_cpu_seconds()
    transactions = int(re.search(r"number of transactions actually processed: (\d+)", output).group(1))
    tps = float(re.search(r"tps = ([\d.]+)", output).group(1))
    return tps, round((cpu_after - cpu_before) * 1e6 / max(transactions, 1), 1)


# One offer row, as POST /api/v2/offers inserts it: the code claimed in the directory of
# codes and the offer in one statement (random id and code; a clash is skipped, as the
# API retries it).
OFFER_INSERT = """\\set n random(1, 2000000000)
WITH claimed AS (
  INSERT INTO offer_codes (code, account_id, offer_id)
  VALUES ('z' || lpad(to_hex(:n % 1048576), 5, '0'), 'ACCOUNT', lpad(to_hex(:n), 24, '0'))
  ON CONFLICT DO NOTHING RETURNING code)
INSERT INTO offers (id, account_id, code, name, tracking_url, external_platform, external_id, payout,
  payout_type, filter_bots, status, metadata, created_at, updated_at)
SELECT lpad(to_hex(:n), 24, '0'), 'ACCOUNT', code, 'Summer Promo',
  'https://advertiser.com/track?click={click_id}', 'tune', '1234', 2.5, 'cpa', false, 'active',
  '{"geo":"US","vertical":"ecommerce"}', now(), now()
  FROM claimed
RETURNING *;
"""


def stats_latency(path, samples):
    """Median and p90 of sequential requests, in ms."""
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        api("GET", path)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(0.9 * (len(timings) - 1))]


def dashboard_latency(offer_id, samples):
    """Median and p90 of sequential loads of the dashboard's page of `offer_id`, signed in
    with KEY, in ms (on loopback: an upper bound of the server's time)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{BASE}/app/sign-in", timeout=10) as form:
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.read().decode()).group(1)
    sign_in = urllib.parse.urlencode({"csrf_token": token, "api_key": KEY}).encode()
    opener.open(f"{BASE}/app/sign-in", data=sign_in, timeout=10).read()
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        with opener.open(f"{BASE}/app/offers/{offer_id}", timeout=10) as page:
            if page.status != 200 or b"Recent clicks" not in page.read():
                raise RuntimeError("the dashboard's offer page did not render")
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(0.9 * (len(timings) - 1))]


# --- the run ----------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs (whole benchmark within 3 minutes)")
    parser.add_argument("--seconds", type=int, help="length of each peak run")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite the README's results table")
    args = parser.parse_args()
    seconds = args.seconds or (4 if args.quick else 15)
    started = time.time()

    log("creating the benchmark databases")
    recreate(BENCH_DB)
    recreate(PGBENCH_DB)
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    run([BINARY, "migrate"], env=dict(os.environ, DATABASE_URL=f"{SERVER}/{BENCH_DB}{PARAMS}"))
    server = Server()  # bootstraps the `default` account with KEY
    try:
        return bench(args, seconds, started, server)
    finally:
        if server.process.poll() is None:
            server.process.kill()


def bench(args, seconds, started, server):
    """Seeds, loads every endpoint and reports; `server` is running."""
    log("seeding 10 accounts, 10,000 offers and 1,000,000 clicks")
    psql_file(BENCH_DB, os.path.join(ROOT, "bench", "seed.sql"), ("clicks", 1_000_000))
    hot = psql(BENCH_DB, "SELECT id FROM offers WHERE code = 'b00000'")
    offers = psql(BENCH_DB, "SELECT string_agg(id, ',') FROM (SELECT o.id FROM offers o JOIN accounts a "
                            "ON a.id = o.account_id WHERE a.name = 'default' ORDER BY o.id LIMIT 200 OFFSET 1) s")
    link = api("POST", "/api/v2/offers", {"name": "Redirect bench", "tracking_url": "https://adv.example/l?c={click_id}"})
    link_code = link["offer"]["click_url"].rsplit("/", 1)[1]
    link_id = link["offer"]["id"]
    links = 200_000 if args.quick else 1_000_000
    log(f"seeding {links:,} links, choosing {links // 10:,} to click")
    psql_file(BENCH_DB, os.path.join(ROOT, "bench", "seed_links.sql"), ("links", links), ("offer", link_id))
    with open(LINK_IDS, "w") as ids:
        ids.write(psql(BENCH_DB, f"SELECT string_agg(id, E'\\n') FROM (SELECT id FROM links "
                                 f"ORDER BY random() LIMIT {links // 10}) s") + "\n")
    today = datetime.datetime.now(datetime.timezone.utc).date()
    stats_path = f"/api/v2/offers/{hot}/stats?from={today - datetime.timedelta(days=29)}&to={today}"

    log("baselines: pgbench --select-only, a one-row INSERT script")
    run(["pgbench", "-i", "-q", "-s", "10", f"{SERVER}/{PGBENCH_DB}{PARAMS}"])
    psql(PGBENCH_DB, "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())")
    insert_script = os.path.join(ROOT, "bench", "results", "insert.sql")
    with open(insert_script, "w") as script:
        script.write("INSERT INTO bench_insert (payload) VALUES ('Summer Promo');\n")
    psql(PGBENCH_DB, "CHECKPOINT")
    select_tps, select_cpu_us = pgbench_with_cpu(["-S"], seconds)
    psql(PGBENCH_DB, "CHECKPOINT")
    insert_tps = pgbench(["-f", insert_script], seconds)
    # The same statement the API makes: an offer and its code, with their indexes and checks.
    account = psql(BENCH_DB, "SELECT id FROM accounts WHERE name = 'bench 9'")
    offer_script = os.path.join(ROOT, "bench", "results", "insert_offer.sql")
    with open(offer_script, "w") as script:
        script.write(OFFER_INSERT.replace("ACCOUNT", account))
    settle()
    offer_insert_tps = pgbench(["-f", offer_script], seconds, BENCH_DB)
    log(f"pgbench select-only {select_tps:.0f} tps, insert {insert_tps:.0f} tps, offer insert {offer_insert_tps:.0f} tps")

    results = {}
    results["healthz"] = measure("GET /healthz", f"{BASE}/healthz", "get.lua", seconds, server=server)
    results["get_offer"] = measure("GET /api/v2/offers/{id}", f"{BASE}/api/v2/offers/{hot}", "get.lua", seconds, server=server)
    results["list_offers"] = measure("GET /api/v2/offers", f"{BASE}/api/v2/offers", "get.lua", seconds, server=server)
    uncached = offer_reads_uncached(hot, seconds)
    results["post_offer"] = measure("POST /api/v2/offers", f"{BASE}/api/v2/offers", "post_offer.lua", seconds, server=server)
    results["put_offer"] = measure("PUT /api/v2/offers/{id}", f"{BASE}/", "put_offer.lua", seconds, {"TRACKLY_OFFERS": offers}, server=server)
    results["redirect"] = measure("GET /{code}", f"{BASE}/{link_code}?sub1=bench", "get.lua", seconds, server=server)
    results["redirect_link"] = measure("GET /{linkId}", f"{BASE}/", "links.lua", seconds, {"TRACKLY_LINK_IDS": LINK_IDS},
                                       server=server)
    results["post_revenue"] = measure("POST /api/v2/revenue", f"{BASE}/", "post_revenue.lua", seconds,
                                      {"TRACKLY_OFFERS": offers}, server=server)
    results["stats"] = measure("GET .../stats", f"{BASE}{stats_path}", "get.lua", seconds, server=server)
    settle()
    stats_median, stats_p90 = stats_latency(stats_path, 30 if args.quick else 100)
    log(f"stats over 1,000,000 clicks, 30 days: median {stats_median:.1f} ms")
    page_median, page_p90 = dashboard_latency(hot, 20 if args.quick else 50)
    log(f"dashboard offer page over 1,000,000 clicks: median {page_median:.1f} ms, p90 {page_p90:.1f} ms")
    bulk = bulk_links(hot, 2 if args.quick else 10)

    rss_kib, peak_rss_kib = server.rss_kib()
    exit_code = server.stop()
    _, dropped, lost = server.writer_summary()
    # wrk counts only the answers it read before its time ran out; a request the server
    # answered as wrk stopped is a row wrk did not count: at most one per connection.
    answered = answered_redirects(results["redirect"])
    rows = int(psql(BENCH_DB, f"SELECT count(*) FROM clicks WHERE offer_id = '{link_id}' AND link_id IS NULL"))
    link_answered = answered_redirects(results["redirect_link"])
    link_rows = int(psql(BENCH_DB, "SELECT count(*) FROM clicks WHERE link_id IS NOT NULL"))
    clicked = int(psql(BENCH_DB, "SELECT count(DISTINCT link_id) FROM clicks WHERE link_id IS NOT NULL"))
    first = int(psql(BENCH_DB, "SELECT count(*) FROM clicks WHERE first_click"))
    link_clicks = {"answered": link_answered, "rows": link_rows, "links_clicked": clicked, "first_clicks": first}
    clicks_ok = (answered <= rows <= answered + 2 * CONNECTIONS and link_answered <= link_rows <= link_answered + 4 * CONNECTIONS
                 and first == clicked and dropped == 0 and lost == 0)
    writer = writer_alone(link_id, 200_000 if args.quick else 1_000_000)

    report = build_report(results, select_tps, insert_tps, offer_insert_tps, stats_median, stats_p90, rss_kib, peak_rss_kib,
                          answered, rows, dropped, lost, clicks_ok, exit_code, writer, seconds, args.quick,
                          time.time() - started, link_clicks, bulk, (page_median, page_p90), select_cpu_us, uncached)
    print(render_table(report))
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for name in (f"{stamp}{'-quick' if args.quick else ''}.json", "latest.json"):
        with open(os.path.join(ROOT, "bench", "results", name), "w") as out:
            json.dump(report, out, indent=2)
    if not args.no_readme and not args.quick:
        update_readme(report)
    return 0 if all(row["pass"] is not False for row in report["rows"]) else 1


def answered_redirects(runs):
    """The redirects wrk read an answer to, over a peak and a paced run."""
    return sum(run_["requests"] - run_["non_2xx_3xx"] for run_ in runs.values() if isinstance(run_, dict))


def bulk_links(offer_id, requests):
    """`requests` sequential POST /api/v2/links/bulk of 10,000 links each (SPEC §9.3):
    offer mode, each to its own contact and message. Returns the total seconds and links."""
    made = 0
    started = time.perf_counter()
    for request in range(requests):
        body = {"links": [{"offerId": offer_id, "listId": f"bulk-{request}", "contactPhone": f"+1666{request:02}{n:05}",
                           "messageId": f"bulk-{request}-{n}"} for n in range(10_000)]}
        made += api("POST", "/api/v2/links/bulk", body)["success_count"]
    elapsed = time.perf_counter() - started
    log(f"bulk links: {made:,} in {elapsed:.2f} s over {requests} requests")
    return {"requests": requests, "links": made, "seconds": round(elapsed, 2)}


def offer_reads_uncached(offer_id, seconds):
    """GET one offer and the list again, on a second server with the offer cache off
    (`TRACKLY_OFFER_CACHE_MB=0`), over the same offers: what each read costs when it asks
    PostgreSQL."""
    port = PORT + 1
    base = f"http://127.0.0.1:{port}"
    data_dir = DATA_DIR + "-uncached"
    shutil.rmtree(data_dir, ignore_errors=True)
    server = Server(data_dir=data_dir, log_name="server-uncached.log", env={"TRACKLY_OFFER_CACHE_MB": "0"}, port=port)
    try:
        results = {"get_offer": measure("GET /api/v2/offers/{id}, cache off", f"{base}/api/v2/offers/{offer_id}",
                                        "get.lua", seconds, server=server),
                   "list_offers": measure("GET /api/v2/offers, cache off", f"{base}/api/v2/offers", "get.lua",
                                          seconds, server=server)}
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    return results


def writer_alone(offer_id, clicks):
    """The click writer's own speed: a spool pre-filled with `clicks` clicks of the offer
    (one visitor in five new, a tenth bots) is replayed by a fresh `serve` with nothing else
    to do. Timed from the process start until every click is committed, so start-up counts
    against it."""
    account_id = psql(BENCH_DB, f"SELECT account_id FROM offers WHERE id = '{offer_id}'")
    data_dir = os.path.join(ROOT, "bench", "results", "data-writer")
    shutil.rmtree(data_dir, ignore_errors=True)
    run([FILL_SPOOL, data_dir, account_id, offer_id, str(clicks), str(clicks // 5)])
    before = int(psql(BENCH_DB, f"SELECT count(*) FROM clicks WHERE offer_id = '{offer_id}'"))
    psql(BENCH_DB, "CHECKPOINT")
    server = Server(data_dir=data_dir, log_name="server-writer.log")
    try:
        while not spool_drained(data_dir):
            time.sleep(0.02)
        elapsed = time.time() - server.started
    finally:
        server.stop()
    stored = int(psql(BENCH_DB, f"SELECT count(*) FROM clicks WHERE offer_id = '{offer_id}'")) - before
    rate = clicks / elapsed
    log(f"writer alone: {clicks} clicks in {elapsed:.2f} s, {rate:.0f} clicks/s ({stored} stored)")
    shutil.rmtree(data_dir, ignore_errors=True)
    return {"clicks": clicks, "stored": stored, "seconds": round(elapsed, 2), "clicks_per_s": round(rate)}


def build_report(results, select_tps, insert_tps, offer_insert_tps, stats_median, stats_p90, rss_kib, peak_rss_kib,
                 answered, rows, dropped, lost, clicks_ok, exit_code, writer, seconds, quick, elapsed, link_clicks, bulk,
                 offer_page, select_cpu_us, uncached):
    healthz = results["healthz"]["peak"]["rps"]
    get_offer = results["get_offer"]["peak"]["rps"]
    baselines = {"get_offer": ("pgbench -S", select_tps, 0.7), "list_offers": ("GET one offer", get_offer, 0.3),
                 "post_offer": ("pgbench offer INSERT", offer_insert_tps, 0.7),
                 "redirect": ("/healthz", healthz, 0.5), "redirect_link": ("/healthz", healthz, 0.5)}
    labels = {"healthz": "GET /healthz", "get_offer": "GET /api/v2/offers/{id}", "list_offers": "GET /api/v2/offers",
              "post_offer": "POST /api/v2/offers", "put_offer": "PUT /api/v2/offers/{id}", "redirect": "GET /{code}",
              "redirect_link": "GET /{linkId} (100,000 of 1,000,000 links, random)",
              "post_revenue": "POST /api/v2/revenue", "stats": "GET /api/v2/offers/{id}/stats (30 days)"}
    rows_ = []
    for key, label in labels.items():
        peak, paced = results[key]["peak"], results[key]["paced"]
        row = load_row(label, results[key])
        if key in baselines:
            name, value, needed = baselines[key]
            ratio = peak["rps"] / value
            row["ratio"] = round(ratio, 3)
            row["target"] = f"≥ {needed} × {name} ({value:.0f}); p99 ≤ 20 ms at 70%"
            row["pass"] = ratio >= needed and (paced["p99_ms"] or 1e9) <= 20.0 and row["errors"] == 0
        rows_.append(row)
    for key, label, (name, value) in (("get_offer", "GET /api/v2/offers/{id}, offer cache off", ("pgbench -S", select_tps)),
                                      ("list_offers", "GET /api/v2/offers, offer cache off",
                                       ("GET one offer, cache off", uncached["get_offer"]["peak"]["rps"]))):
        row = load_row(label, uncached[key])
        row["ratio"] = round(uncached[key]["peak"]["rps"] / value, 3)
        row["target"] = f"for comparison: × {name} ({value:.0f})"
        rows_.append(row)
    server_us = results["get_offer"]["peak"]["server_cpu_us"]
    rows_.append({"endpoint": "GET /api/v2/offers/{id}: server CPU per request", "rps": None, "p50_ms": None,
                  "p99_ms": None, "paced_rps": None, "paced_p99_ms": None, "errors": 0,
                  "ratio": round(server_us / select_cpu_us, 3),
                  "target": f"≤ PostgreSQL's CPU per one-row read (pgbench -S, same run): {server_us} µs against "
                            f"{select_cpu_us} µs",
                  "pass": server_us <= select_cpu_us})
    rows_.append({"endpoint": "stats median, 1,000,000 clicks", "rps": None, "p50_ms": round(stats_median, 2),
                  "p99_ms": None, "paced_rps": None, "paced_p99_ms": None, "errors": 0, "ratio": None,
                  "target": "median ≤ 50 ms", "pass": stats_median <= 50.0})
    rows_.append({"endpoint": "dashboard offer page, 1,000,000 clicks", "rps": None, "p50_ms": round(offer_page[0], 2),
                  "p99_ms": None, "paced_rps": None, "paced_p99_ms": None, "errors": 0, "ratio": None,
                  "target": f"≤ 100 ms (p90 {offer_page[1]:.1f} ms)", "pass": offer_page[0] <= 100.0})
    rows_.append({"endpoint": "server RSS after the run", "rps": None, "p50_ms": None, "p99_ms": None,
                  "paced_rps": None, "paced_p99_ms": None, "errors": 0, "ratio": None,
                  "target": f"≤ 100 MB (now {rss_kib / 1024:.1f} MB, peak {peak_rss_kib / 1024:.1f} MB)",
                  "pass": rss_kib <= 100 * 1024})
    rows_.append({"endpoint": "every redirect is a click row", "rps": None, "p50_ms": None, "p99_ms": None,
                  "paced_rps": None, "paced_p99_ms": None, "errors": 0, "ratio": None,
                  "target": f"offer codes: {answered} answered, {rows} rows; links: {link_clicks['answered']} answered, "
                            f"{link_clicks['rows']} rows, {link_clicks['first_clicks']} first clicks for "
                            f"{link_clicks['links_clicked']} links clicked; {dropped} dropped, {lost} lost, "
                            f"clean exit {exit_code == 0}",
                  "pass": clicks_ok and exit_code == 0})
    bulk_target = 10.0 * bulk["requests"] / 10
    rows_.append({"endpoint": f"POST /api/v2/links/bulk, {bulk['requests']} × 10,000 links", "rps": None,
                  "p50_ms": None, "p99_ms": None, "paced_rps": None, "paced_p99_ms": None, "errors": 0, "ratio": None,
                  "target": f"≤ {bulk_target:.0f} s (took {bulk['seconds']} s; {bulk['links']} made)",
                  "pass": bulk["seconds"] <= bulk_target and bulk["links"] == 10_000 * bulk["requests"]})
    redirect_peak = results["redirect"]["peak"]["rps"]
    writer_ratio = writer["clicks_per_s"] / redirect_peak
    rows_.append({"endpoint": "click writer alone (spool pre-filled)", "rps": writer["clicks_per_s"], "p50_ms": None,
                  "p99_ms": None, "paced_rps": None, "paced_p99_ms": None, "errors": 0, "ratio": round(writer_ratio, 3),
                  "target": f"≥ 1 × redirect peak ({redirect_peak:.0f}); {writer['stored']} of {writer['clicks']} stored",
                  "pass": writer_ratio >= 1.0 and writer["stored"] == writer["clicks"]})
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, {memory_gib():.0f} GiB; load generator, server and PostgreSQL on the same machine",
        "connections": CONNECTIONS, "seconds_per_peak_run": seconds, "quick": quick,
        "baselines": {"pgbench_select_tps": round(select_tps), "pgbench_select_postgres_cpu_us": select_cpu_us,
                      "pgbench_insert_tps": round(insert_tps),
                      "pgbench_offer_insert_tps": round(offer_insert_tps),
                      "healthz_rps": round(healthz)},
        "stats_ms": {"median": round(stats_median, 2), "p90": round(stats_p90, 2)},
        "dashboard_offer_page_ms": {"median": round(offer_page[0], 2), "p90": round(offer_page[1], 2)},
        "rss_mb": {"after": round(rss_kib / 1024, 1), "peak": round(peak_rss_kib / 1024, 1)},
        "clicks": {"answered_redirects": answered, "rows": rows, "dropped": dropped, "lost": lost},
        "link_clicks": link_clicks,
        "bulk_links": bulk,
        "writer_alone": writer,
        "elapsed_s": round(elapsed),
        "rows": rows_,
    }


def load_row(label, measured):
    """The table row of a `measure` result: its peak, its paced p99 and its errors; no
    target yet."""
    peak, paced = measured["peak"], measured["paced"]
    return {"endpoint": label, "rps": round(peak["rps"]), "p50_ms": peak["p50_ms"], "p99_ms": peak["p99_ms"],
            "paced_rps": round(paced["rps"]), "paced_p99_ms": paced["p99_ms"],
            "server_cpu_us": peak.get("server_cpu_us"), "postgres_cpu_us": peak.get("postgres_cpu_us"),
            "errors": peak["non_2xx_3xx"] + peak["socket_errors"] + paced["non_2xx_3xx"] + paced["socket_errors"],
            "ratio": None, "target": None, "pass": None}


def memory_gib():
    with open("/proc/meminfo") as meminfo:
        return int(meminfo.readline().split()[1]) / 1024 / 1024


def fmt(value, suffix=""):
    return "" if value is None else f"{value}{suffix}"


def render_table(report):
    lines = [f"Trackly benchmark, {report['date']}: {report['machine']}; {report['connections']} connections, "
             f"{report['seconds_per_peak_run']} s per peak run",
             "",
             "| endpoint | req/s | p50 ms | p99 ms | p99 ms at 70% (req/s) | CPU µs/req: server, PostgreSQL | ratio | target | pass |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in report["rows"]:
        paced = "" if row["paced_p99_ms"] is None else f"{row['paced_p99_ms']} ({row['paced_rps']})"
        cpu = "" if row.get("server_cpu_us") is None else f"{row['server_cpu_us']}, {row['postgres_cpu_us']}"
        verdict = {True: "yes", False: "**no**", None: ""}[row["pass"]]
        lines.append(f"| {row['endpoint']} | {fmt(row['rps'])} | {fmt(row['p50_ms'])} | {fmt(row['p99_ms'])} | "
                     f"{paced} | {cpu} | {fmt(row['ratio'])} | {fmt(row['target'])} | {verdict} |")
    return "\n".join(lines)


def update_readme(report):
    path = os.path.join(ROOT, "README.md")
    with open(path) as readme:
        text = readme.read()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text or end not in text:
        log("README has no benchmark markers; not updated")
        return
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w") as readme:
        readme.write(f"{head}{start}\n{render_table(report)}\n{end}{tail}")


if __name__ == "__main__":
    sys.exit(main())
