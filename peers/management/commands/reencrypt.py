from django.core.management.base import BaseCommand

from peers.services.crypto import data_reencrypt


class Command(BaseCommand):
    help = "Rewrite every encrypted value with the newest key (after adding a key to DJANGO_FIELD_ENCRYPTION_KEYS)."

    def handle(self, *args, **options) -> None:
        for label, count in data_reencrypt().items():
            self.stdout.write(f"{label}: {count} rows")
        self.stdout.write(self.style.SUCCESS("Done. Older keys can now be removed from DJANGO_FIELD_ENCRYPTION_KEYS."))
