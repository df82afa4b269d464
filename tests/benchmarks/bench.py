"""`make bench`: the store under load, against a baseline, on PostgreSQL and SQLite.

1. Builds a catalogue of 10,000 products (the demo catalogue and guides, then generated
   variations) on PostgreSQL (database `bench`, recreated) and on SQLite, and one of 100
   products (`bench_small`) to see how the listing scales.
2. Serves each with gunicorn and the store's production config (shop/serving/gunicorn_conf.py),
   one at a time, on ports from 5101, and loads every page with wrk from a second process:
   home, listing page 1 and page 200, a search, a filtered listing, product pages, add to cart
   (a POST with the CSRF token and session cookie taken from a product page), with the page cache
   on as served ("warm": after the warm-up every page is a hit); then, on the first database,
   the same cacheable pages from a server with PAGE_CACHE=off ("cold": every request renders), and
   the back office's stock page as a signed-in admin.
3. Serves a minimal Flask app returning a static page the size of a listing page under the
   identical gunicorn config: the baseline every page is compared with.
4. Measures page weight (HTML, CSS, JS, images) and runs Lighthouse on home, listing, product.

Prints a table and writes JSON to tests/benchmarks/results/. Settings (environment):
BENCH_SECONDS (10 per page), BENCH_WARMUP_SECONDS (2), BENCH_USERS (50), BENCH_PRODUCTS (10000),
BENCH_POSTGRES_URL (postgresql://postgres@127.0.0.1:5432/postgres, an admin connection),
BENCH_PORT (5101), BENCH_LIGHTHOUSE (0 skips it). Targets are printed, never asserted: this is a measurement, not a test.
"""
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import catalogue  # noqa: E402
from load import BROWSER_ENCODINGS, Server, fetch, lighthouse, page_weight, wrk  # noqa: E402

RESULTS = HERE / "results"
SECONDS = int(os.environ.get("BENCH_SECONDS") or 10)
WARMUP = int(os.environ.get("BENCH_WARMUP_SECONDS") or 2)
USERS = int(os.environ.get("BENCH_USERS") or 50)
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS") or 10000)
SMALL = 100
PG_ADMIN = os.environ.get("BENCH_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
PORT = int(os.environ.get("BENCH_PORT") or 5101)

PAGES = {
    "home": "/",
    "listing p1": "/products",
    "listing p200": "/products?page=200",
    "search": "/products?q=arnica",
    "filtered": "/products?" + urlencode({"category": "oils", "suitable": "vegan", "avoid": "tree-nuts", "sort": "price"}),
}
COLD = ["home", "listing p1", "listing p200", "filtered", "product"]  # cacheable pages, measured again uncached
ADMIN_STOCK = "/admin/stock"
SCALING = f"listing p95 at {PRODUCTS:,} products ≤ 1.5× at {SMALL}"
WEIGHED = {"home": "/", "listing": "/products"}  # plus a product page, added once one is known


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    ram = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0].strip()
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "ram_gb": round(int(ram.group(1)) / 1024 / 1024, 1) if ram else None,
        "cpu": model.group(1).strip() if model else platform.processor(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_generator": wrk_version,
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


class _Form(HTMLParser):
    """The product page's add-to-cart form: its CSRF token and the first size that can be bought."""

    def __init__(self):
        super().__init__()
        self.token = self.variant = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag != "input":
            return
        if a.get("name") == "csrf_token" and not self.token:
            self.token = a.get("value")
        if a.get("name") == "variant_id" and "disabled" not in a and not self.variant:
            self.variant = a.get("value")


def product_slugs(port: int, count: int = 60) -> list[str]:
    """Product pages spread over the catalogue, read from listing pages as a shopper would find them."""
    slugs = []
    for page in (1, 50, 100, 300, 600, 800):
        html = fetch(port, f"/products?page={page}")[2].decode()
        slugs += re.findall(r'href="/products/([a-z0-9-]+)"', html)
    return list(dict.fromkeys(slugs))[:count]


def add_to_cart_request(port: int, slugs: list[str]) -> dict:
    """A POST /cart/add a browser would send: token and session cookie from a product page."""
    for slug in slugs:
        status, headers, html = fetch(port, f"/products/{slug}")
        form = _Form()
        form.feed(html.decode())
        cookie = headers.get("Set-Cookie", "").split(";")[0]
        if status == 200 and form.token and form.variant and cookie:
            body = urlencode({"csrf_token": form.token, "variant_id": form.variant, "quantity": 1})
            request = {"method": "POST", "body": body, "headers": {
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}}
            answer = fetch(port, "/cart/add", method="POST", body=body, headers=request["headers"])[0]
            if answer != 303:
                raise RuntimeError(f"adding to the cart answered {answer}, expected a 303 to the cart")
            return request
    raise RuntimeError("no product page with a size in stock and a CSRF token")


def drain(port: int, path: str) -> None:
    """Wait until the server has answered what a finished wrk run left queued.

    When wrk stops, up to USERS requests are still in gunicorn's accept queue; the workers answer
    them anyway. One more request joins the back of that queue: its answer means the queue is empty,
    so the next measurement starts on an idle server.
    """
    fetch(port, path)


def load_page(port: int, name: str, paths: list[str], ready="/healthz", **request) -> dict:
    wrk(port, paths, seconds=WARMUP, users=USERS, **request)
    drain(port, ready)
    result = wrk(port, paths, seconds=SECONDS, users=USERS, **request)
    # Anything else running on the machine skews the figures: keep its load with them.
    result["loadavg_1m"] = round(os.getloadavg()[0], 2)
    drain(port, ready)
    log(f"  {name:<22} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:.1f} ms  p99 {result['p99_ms']:.1f} ms"
        f"  errors {result['errors']}")
    return result


def admin_cookie(port: int, secret: str) -> str:
    """Sign the bench's admin in as a browser does (password, then the code): the session cookie."""
    import pyotp

    from catalogue import ADMIN_EMAIL, ADMIN_PASSWORD

    cookie = ""

    def post(path, fields):
        nonlocal cookie
        form = _Form()
        status, headers, html = fetch(port, path, headers={"Cookie": cookie} if cookie else {})
        cookie = headers.get("Set-Cookie", "").split(";")[0] or cookie
        form.feed(html.decode())
        status, headers, _ = fetch(port, path, method="POST", body=urlencode({"csrf_token": form.token, **fields}),
                                   headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        cookie = headers.get("Set-Cookie", "").split(";")[0] or cookie
        if status != 303:
            raise RuntimeError(f"signing the admin in: {path} answered {status}")

    post("/account/sign-in", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    post("/account/sign-in/code", {"code": pyotp.TOTP(secret).now()})
    return cookie


def bench_cold(label: str, url: str, port: int, work: Path, paths: dict[str, list[str]], admin_secret: str | None) -> dict:
    """The cacheable pages with the page cache off (every request renders), and the admin stock page."""
    env = {"DATABASE_URL": url, "SHOP_INSTANCE_PATH": str(work / label), "SHOP_ENV": "development", "PAGE_CACHE": "off"}
    log(f"{label}, page cache off: gunicorn on 127.0.0.1:{port}")
    result = {}
    with Server(f"{label}-cold", "wsgi:app", port, RESULTS, env=env):
        for name in COLD:
            result[f"{name} (cold)"] = load_page(port, f"{name} (cold)", paths[name])
        if admin_secret:
            result["admin stock"] = load_page(port, "admin stock", [ADMIN_STOCK],
                                              headers={"Cookie": admin_cookie(port, admin_secret)})
    return result


def bench_store(label: str, url: str, port: int, work: Path, *, full: bool, primary: bool = False,
                admin_secret: str | None = None) -> dict:
    env = {"DATABASE_URL": url, "SHOP_INSTANCE_PATH": str(work / label), "SHOP_ENV": "development"}
    os.makedirs(work / label, exist_ok=True)
    log(f"{label}: gunicorn on 127.0.0.1:{port}")
    result = {"pages": {}, "html_bytes": {}}
    with Server(label, "wsgi:app", port, RESULTS, env=env):
        if not full:
            result["pages"]["listing p1"] = load_page(port, "listing p1", ["/products"])
            return result
        slugs = product_slugs(port)
        pages = {name: [path] for name, path in PAGES.items()}
        pages["product"] = [f"/products/{slug}" for slug in slugs]
        for name, paths in pages.items():
            status, headers, html = fetch(port, paths[0])
            if status != 200:
                raise RuntimeError(f"{label} {name} {paths[0]} answered {status}")
            result["html_bytes"][name] = len(html)
            warm = name in COLD and headers.get("X-Page-Cache") in ("hit", "miss")
            result["pages"][f"{name} (warm)" if warm else name] = load_page(port, name, paths)
        result["pages"]["add to cart"] = load_page(port, "add to cart", ["/cart/add"], **add_to_cart_request(port, slugs))
        if primary:
            # What compressing costs the server (wrk asks for nothing compressed otherwise, nor does the baseline).
            result["pages"]["listing p1 compressed"] = load_page(
                port, "listing p1 compressed", ["/products"], headers={"Accept-Encoding": BROWSER_ENCODINGS})
            weighed = {**WEIGHED, "product": f"/products/{slugs[0]}"}
            result["page_weight"] = {name: page_weight(port, path) for name, path in weighed.items()}
            if os.environ.get("BENCH_LIGHTHOUSE", "1") != "0":
                log("Lighthouse on home, listing and product pages")
                result["lighthouse"] = lighthouse(port, weighed, RESULTS)
    if primary:
        result["pages"].update(bench_cold(label, url, port + 100, work, pages, admin_secret))
    return result


def bench_baseline(port: int, size: int) -> dict:
    log(f"baseline: a static {size}-byte page from a minimal Flask app, same gunicorn config, port {port}")
    with Server("baseline", "baseline_app:app", port, RESULTS, env={"BASELINE_BYTES": str(size)},
                pythonpath=HERE, ready="/"):
        return load_page(port, "baseline", ["/"], ready="/")


def main() -> int:
    started = time.monotonic()
    RESULTS.mkdir(exist_ok=True)
    if not shutil.which("wrk"):
        print("wrk is not installed: `make bench` installs it (apt-get install wrk)", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="shop-bench-"))
    report = {"machine": machine(), "settings": {"seconds_per_page": SECONDS, "warmup_seconds": WARMUP,
                                                  "users": USERS, "products": PRODUCTS}, "stores": {}}
    try:
        databases = {}
        try:
            databases["postgresql"] = catalogue.recreate_postgres_database(PG_ADMIN, "bench")
            small = catalogue.recreate_postgres_database(PG_ADMIN, "bench_small")
            report["machine"]["postgresql"] = _postgres_version(PG_ADMIN)
        except Exception as error:  # noqa: BLE001 - report and carry on with SQLite
            log(f"PostgreSQL unavailable at {PG_ADMIN} ({error.__class__.__name__}): SQLite only")
            small = f"sqlite:///{work / 'small.db'}"
        databases["sqlite"] = f"sqlite:///{work / 'bench.db'}"
        for label, url in databases.items():
            log(f"building {PRODUCTS:,} products on {label}")
            report["stores"][label] = {"catalogue": catalogue.build(url, str(work), PRODUCTS)}
        first = next(iter(databases))
        admin_secret = catalogue.create_admin(databases[first])
        log(f"building {SMALL} products for the scaling comparison")
        catalogue.build(small, str(work), SMALL)
        log(f"catalogues built in {time.monotonic() - started:.0f} s")

        port = PORT
        for label, url in databases.items():
            report["stores"][label].update(bench_store(label, url, port, work, full=True, primary=label == first,
                                                       admin_secret=admin_secret))
            port += 1
        report["baseline"] = bench_baseline(port, report["stores"][first]["html_bytes"]["listing p1"])
        port += 1
        report["small"] = bench_store("small", small, port, work, full=False)  # as served: cache on
        report["small"]["products"] = SMALL
        report["targets"] = targets(report, first)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for name in ("bench", "bench_small"):
            try:
                catalogue.drop_postgres_database(PG_ADMIN, name)
            except Exception:  # noqa: BLE001
                pass
    report["elapsed_seconds"] = round(time.monotonic() - started)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for path in (RESULTS / f"bench-{stamp}.json", RESULTS / "latest.json"):
        path.write_text(json.dumps(report, indent=2))
    print_report(report, first)
    print(f"\nJSON: {RESULTS / f'bench-{stamp}.json'} (also latest.json); {report['elapsed_seconds']} s in all")
    return 0


def _postgres_version(admin_url: str) -> str:
    from sqlalchemy import create_engine, text

    from shop.config import normalise_database_url

    engine = create_engine(normalise_database_url(admin_url))
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    return version


def targets(report: dict, first: str) -> dict:
    """Each target, met or not, from what was measured. Never raises: a target whose figures are
    missing (a run that errored) is reported as not met with the reason, and the others still are."""
    out = {"primary": first}

    def judge(name, measure):
        try:
            out[name] = measure()
        except Exception as error:  # noqa: BLE001 - a missing figure is a missed target, not a crash
            out[name] = {"error": f"not measured: {error.__class__.__name__}: {error}", "met": False}

    stores = report.get("stores", {})
    store = stores.get(first, {})

    def throughput(name, at_least):
        def measure():
            ratio = store["pages"][name]["rps"] / report["baseline"]["rps"]
            return {"value": round(ratio, 2), "met": ratio >= at_least}
        return measure

    for name in ("listing p1", "product"):
        judge(f"{name} warm ≥ 0.6× baseline req/s", throughput(f"{name} (warm)", 0.6))
    for name in ("listing p1", "product"):
        judge(f"{name} cold ≥ 0.15× baseline req/s", throughput(f"{name} (cold)", 0.15))
    judge("search ≥ 0.1× baseline req/s", throughput("search", 0.1))

    def admin_stock():
        p95 = store["pages"]["admin stock"]["p95_ms"]
        return {"p95_ms": round(p95, 1), "met": p95 < 300}

    judge("admin stock page p95 < 300 ms", admin_stock)

    def spread():
        over = {f"{label}: {name}": r["p99_over_p50"] for label, s in stores.items()
                for name, r in s.get("pages", {}).items() if r.get("p99_over_p50") and r["p99_over_p50"] > 2.5}
        return {"over": over, "met": not over}

    def no_errors():
        errors = {f"{label}: {name}": r["errors"] for label, s in stores.items()
                  for name, r in s.get("pages", {}).items() if r.get("errors")}
        return {"errors": errors, "met": not errors}

    def scaling():
        big, small = store["pages"]["listing p1 (warm)"]["p95_ms"], report["small"]["pages"]["listing p1"]["p95_ms"]
        scale = big / small if small else float("inf")
        return {"value": round(scale, 2), "met": scale <= 1.5}

    def weight():
        heavy = {name: b for label, s in stores.items() for name, b in s.get("html_bytes", {}).items() if b > 100_000}
        for name, w in store.get("page_weight", {}).items():
            if w["bytes"]["before_images"] > 100_000:
                heavy[f"{name} with CSS and JS"] = w["bytes"]["before_images"]
        return {"over": heavy, "met": not heavy}

    def third_party():
        found = {n: w["third_party"] for n, w in store.get("page_weight", {}).items() if w.get("third_party")}
        return {"found": found, "met": not found}

    def lighthouse_scores():
        runs = {n: s for n, s in store.get("lighthouse", {}).items() if isinstance(s, dict)}
        if not runs:
            return {"skipped": True, "met": None}
        below, missing, failed = {}, [], {}
        for page, scores in runs.items():
            if "error" in scores:
                failed[page] = str(scores["error"])[:200]
                continue
            for category in ("performance", "accessibility", "best-practices"):
                score = scores.get(category)
                if score is None:
                    missing.append(f"{page} {category}")
                elif score < 95:
                    below[f"{page} {category}"] = score
        return {"below": below, "missing": missing, "failed": failed, "met": not (below or missing or failed)}

    judge("p99/p50 ≤ 2.5", spread)
    judge("no errors", no_errors)
    judge(SCALING, scaling)
    judge("every page < 100 KB before images", weight)
    judge("no third-party resources", third_party)
    judge("Lighthouse ≥ 95", lighthouse_scores)
    return out


def summarise_targets(results: dict) -> list[str]:
    """One line per target, then a count: what was met and what was missed, as printed."""
    lines, met, missed = [], [], []
    for name, t in results.items():
        if name == "primary":
            continue
        detail = {k: v for k, v in t.items() if k != "met"}
        state = "skipped" if t["met"] is None else "met" if t["met"] else "MISSED"
        (met if t["met"] else missed if t["met"] is False else []).append(name)
        lines.append(f"  [{state}] {name}: {json.dumps(detail, ensure_ascii=False)}")
    lines.append(f"  {len(met)} met, {len(missed)} missed" + (f": {'; '.join(missed)}" if missed else ""))
    return lines


def print_report(report: dict, first: str) -> None:
    m = report["machine"]
    base = report["baseline"]
    loads = [r["loadavg_1m"] for s in report["stores"].values() for r in s["pages"].values()]
    print(f"\nStore benchmark, {m['date']}: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, "
          f"{report['settings']['users']} users, {report['settings']['seconds_per_page']} s per page; "
          f"load average {m['loadavg_at_start'][0]} at start, up to {max(loads, default=0)} during the runs")
    print(f"baseline (static {report['stores'][first]['html_bytes']['listing p1']:,}-byte page, minimal Flask app): "
          f"{base['rps']:.0f} req/s, p50 {base['p50_ms']:.1f} ms, p99 {base['p99_ms']:.1f} ms, errors {base['errors']}")
    header = f"{'page':<22}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p99/p50':>9}{'errors':>8}{'× base':>8}{'HTML KB':>9}"
    for label, store in report["stores"].items():
        print(f"\n{label}, {store['catalogue']['products']:,} products")
        print(header)
        for name, r in store["pages"].items():
            html = store["html_bytes"].get(name)
            print(f"{name:<22}{r['rps']:>8.0f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}"
                  f"{r['p99_over_p50'] or 0:>9.2f}{r['errors']:>8}{r['rps'] / base['rps']:>8.2f}"
                  f"{(html / 1024 if html else r['bytes_per_response'] / 1024):>9.1f}")
    small = report["small"]["pages"]["listing p1"]
    big = report["stores"][first]["pages"]["listing p1 (warm)"]
    print(f"\nlisting p95 on {first}: {big['p95_ms']:.1f} ms at {PRODUCTS:,} products, "
          f"{small['p95_ms']:.1f} ms at {SMALL} ({report['targets'][SCALING]['value']}×)")
    weights = report["stores"][first].get("page_weight", {})
    if weights:
        print(f"\n{'page weight (bytes)':<22}{'HTML':>9}{'CSS':>9}{'JS':>9}{'images':>9}{'total':>9}{'no img':>9}{'wire':>9}")
        for name, w in weights.items():
            b = w["bytes"]
            print(f"{name:<22}{b['html']:>9}{b['css']:>9}{b['js']:>9}{b['images']:>9}{b['total']:>9}"
                  f"{b['before_images']:>9}{w['compressed_bytes']['total']:>9}")
    scores = report["stores"][first].get("lighthouse", {})
    if "skipped" in scores:
        print(f"\nLighthouse: {scores['skipped']}")
    elif scores:
        print(f"\n{'Lighthouse':<22}{'perf':>9}{'a11y':>9}{'best pr.':>9}{'LCP ms':>9}")
        for name, s in scores.items():
            if "error" in s:
                print(f"{name:<22} failed: {s['error'][:200]}")
                continue
            print(f"{name:<22}" + "".join(f"{str(s.get(k, '-')):>9}" for k in ("performance", "accessibility", "best-practices", "lcp_ms")))
    print("\ntargets (measured, not asserted)")
    print("\n".join(summarise_targets(report["targets"])))


if __name__ == "__main__":
    sys.exit(main())
