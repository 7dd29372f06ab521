import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from peers import bench_data

# Only a database whose name says it is the benchmark's: never the demo's or a test's.
BENCH_DATABASE_SUFFIX = "_bench"


class Command(BaseCommand):
    help = "Grow the demo data into a large institution for the benchmark (peers/bench_data.py)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1.0: 20,000 trainees in 40 programs")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale: float, seed: int, **options) -> None:
        name = connection.settings_dict["NAME"]
        if not name.endswith(BENCH_DATABASE_SUFFIX):
            raise CommandError(f"bench_data runs only on a database named *{BENCH_DATABASE_SUFFIX} (this is {name}).")
        if not 0 < scale <= 20:
            raise CommandError("--scale must be above 0 and at most 20.")
        if bench_data.already_built():
            raise CommandError("This database already holds the benchmark's data; drop it and start again.")
        started = time.monotonic()
        with transaction.atomic():
            built = bench_data.build(scale=scale, seed=seed, say=self.stdout.write)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Built scale {scale} in {time.monotonic() - started:.0f} s: {built}")
