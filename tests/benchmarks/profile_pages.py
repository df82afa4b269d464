"""Python time per page on a cache miss: the listing and product pages at 10,000 products.

    .venv/bin/python tests/benchmarks/profile_pages.py [--build] [--profile NAME]

Builds (with --build, or when empty) a catalogue in PostgreSQL database `profile_pages`
(PROFILE_DATABASE_URL to use another), then renders each page in-process with the page cache off
and reports the median CPU time of this process per request (process_time: Python, SQLAlchemy,
Jinja and the driver's share; the database server's own work runs in another process and is not
counted). --profile NAME prints the top of a cProfile of that page.
"""
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import catalogue  # noqa: E402

ADMIN = os.environ.get("BENCH_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
PAGES = {
    "home": "/",
    "listing p1": "/products",
    "listing p200": "/products?page=200",
    "filtered": "/products?category=oils&suitable=vegan&avoid=tree-nuts&sort=price",
    "search": "/products?q=arnica",
}
ROUNDS = 30


def main() -> int:
    url = os.environ.get("PROFILE_DATABASE_URL")
    if not url or "--build" in sys.argv:
        url = url or catalogue.recreate_postgres_database(ADMIN, "profile_pages")
        print("building 10,000 products ...", flush=True)
        catalogue.build(url, "/tmp/profile-pages-instance", 10_000)
    from shop import create_app
    from shop.config import DevelopmentConfig

    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url, PAGE_CACHE="off")
    client = app.test_client()
    html = client.get("/products?page=40").get_data(as_text=True)
    import re

    slugs = list(dict.fromkeys(re.findall(r'href="/products/([a-z0-9-]+)"', html)))[:ROUNDS]
    pages = {**PAGES, "product": [f"/products/{s}" for s in slugs]}
    chosen = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
    for name, paths in pages.items():
        paths = paths if isinstance(paths, list) else [paths] * ROUNDS
        for path in paths[:3]:
            assert client.get(path).status_code == 200, path  # warm: compiled templates, pooled connections
        times = []
        profiler = cProfile.Profile() if name == chosen else None
        for path in paths:
            started = time.process_time()
            if profiler:
                profiler.enable()
            client.get(path)
            if profiler:
                profiler.disable()
            times.append((time.process_time() - started) * 1000)
        print(f"{name:<14} median {statistics.median(times):5.1f} ms of Python per request "
              f"(min {min(times):.1f}, max {max(times):.1f})")
        if profiler:
            pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(35)
    return 0


if __name__ == "__main__":
    sys.exit(main())
