from django.core.management.base import BaseCommand

from peers.services.sweeps import sweeps_run


class Command(BaseCommand):
    help = "Run every periodic sweep once (for cron instead of beat, and for tests)."

    def handle(self, *args, **options) -> None:
        for name, result in sweeps_run().items():
            self.stdout.write(f"{name}: {result}")
