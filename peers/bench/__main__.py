"""`make bench`: measure the key pages and the sweeps at demo size, then at scale.

    python -m peers.bench [--scale 0.1] [--seconds 5] [--connections 32] [--port 8077]

1. Make the database `peers_bench` afresh (never the demo's or a test's), migrate it
   and seed the demo.
2. Serve it with gunicorn (2 sync workers, DEBUG off, peers.bench.settings), sign in
   each role (the mentor accepts the disclosure statement, the mentee writes to their
   mentors: peers/bench/prepare.py), measure each key page between runs of the bare page
   and say PASS or MISS against its audience's target, time every sweep
   (with what is due, then with nothing due), then 10,000 due notifications delivered
   by two worker processes to a local SMTP sink (peers/bench/delivery.py).
3. Grow the data with `bench_data --scale N` (skipped with --scale 0) and do 2 again.
"""

import argparse
import subprocess
import sys
import time

import psycopg2

from peers.bench import pages, prepare, server
from peers.bench.signin import sign_in


def parse_options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="1.0: 20,000 trainees (0: the demo size only)")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measuring run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument("--reuse", action="store_true", help="measure the database as it is, without rebuilding")
    parser.add_argument(
        "--only", action="append", default=[], metavar="TEXT", help="measure only the pages whose role or path has TEXT"
    )
    parser.add_argument(
        "--database",
        default=server.DATABASE,
        help="its own database (a name ending in _bench), e.g. to keep a scale 1 build",
    )
    parser.add_argument("--build-only", action="store_true", help="build the data at --scale and stop (then --reuse)")
    parser.add_argument("--no-sweeps", action="store_true", help="measure the pages only (no sweeps, no delivery)")
    parser.add_argument(
        "--delivery", type=int, default=10_000, metavar="N", help="due notifications timed through a worker (0: none)"
    )
    return parser.parse_args(argv)


def md_program_id(db_url: str) -> int:
    with psycopg2.connect(db_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id FROM peers_trainingprogram WHERE name = 'MD Program'")
        return cursor.fetchone()[0]


def measure_size(label: str, options, db_url: str, build_env, serve_env) -> None:
    print(f"\n== {label}: pages at {options.connections} connections, {options.seconds:g} s runs", flush=True)
    web = server.gunicorn(serve_env, port=options.port)
    try:
        base_url = f"http://127.0.0.1:{options.port}"
        cookies = {role: sign_in(base_url, email) for role, email in pages.EMAILS.items()}
        prepare.accept_disclosure(base_url, cookies["mentor"])
        thread = prepare.mentee_thread(db_url, base_url, cookies["trainee"], pages.EMAILS["trainee"])
        print(pages.HEADING, flush=True)
        chosen = [
            page
            for page in pages.key_pages(md_program_id(db_url), thread)
            if not options.only or any(text in f"{page.role} {page.path}" for text in options.only)
        ]
        pages.measure_pages(
            chosen,
            cookies,
            port=options.port,
            seconds=options.seconds,
            connections=options.connections,
            say=lambda line: print(line, flush=True),
        )
    finally:
        server.stop(web)
    if options.no_sweeps:
        return
    print(f"\n== {label}: sweeps", flush=True)
    subprocess.run([server.PYTHON, "-m", "peers.bench.sweeps"], env=serve_env, cwd=server.BASE_DIR, check=True)
    if options.delivery:
        print(f"\n== {label}: delivery", flush=True)
        command = [server.PYTHON, "-m", "peers.bench.delivery", str(options.delivery)]
        # Its report line says PASS or MISS; even a crash leaves the rest of the benchmark to run.
        if subprocess.run(command, env=serve_env, cwd=server.BASE_DIR).returncode:
            print("(the delivery step failed: see its output above)", flush=True)


def main(argv: list[str] | None = None) -> None:
    options = parse_options(argv)
    started = time.monotonic()
    db_url = server.database_url(fresh=not options.reuse, name=options.database)
    build_env, serve_env = server.environments(db_url=db_url, port=options.port)
    if options.reuse:  # the code may be newer than the data: its migrations and static files first
        server.manage(build_env, "migrate", "--no-input", "--verbosity", "0")
        server.manage(serve_env, "collectstatic", "--no-input", "--verbosity", "0")
        measure_size("as built", options, db_url, build_env, serve_env)
        return
    server.manage(build_env, "migrate", "--no-input", "--verbosity", "0")
    server.manage(serve_env, "collectstatic", "--no-input", "--verbosity", "0")  # the manifest, as served
    server.manage(build_env, "seed_demo", "--verbosity", "0")
    if not options.build_only:
        measure_size("demo size", options, db_url, build_env, serve_env)
    if options.scale > 0:
        grown = time.monotonic()
        server.manage(build_env, "bench_data", "--scale", str(options.scale))
        print(f"(built in {time.monotonic() - grown:.0f} s)", flush=True)
    if options.scale > 0 and not options.build_only:
        measure_size(f"scale {options.scale:g}", options, db_url, build_env, serve_env)
    print(f"\nbenchmark done in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
