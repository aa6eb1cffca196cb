"""manage.py store_pool --status | --fill [--size N] | --drain

The pool of ready, migrated schemas that makes signup instant (see tenants.services).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tenants import services


class Command(BaseCommand):
    help = "Show, fill or drain the pool of ready store schemas."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--status", action="store_true", help="Show the pool (default).")
        action.add_argument("--fill", action="store_true", help="Top the pool up.")
        action.add_argument("--drain", action="store_true", help="Drop every pooled schema.")
        parser.add_argument(
            "--size", type=int, default=None, help="With --fill: target size (STORE_POOL_SIZE)."
        )

    def handle(self, *args, **options):
        connection.set_schema_to_public()
        if options["size"] is not None and not options["fill"]:
            raise CommandError("--size goes with --fill.")
        if options["fill"]:
            started = time.monotonic()

            def progress(done: int, todo: int) -> None:
                elapsed = time.monotonic() - started
                self.stdout.write(f"  {done}/{todo} schema(s) ready ({elapsed:.1f} s)")

            added = services.pool_fill(size=options["size"], progress=progress)
            self.stdout.write(self.style.SUCCESS(f"{added} pool schema(s) added."))
        elif options["drain"]:
            dropped = services.pool_drain()
            self.stdout.write(self.style.SUCCESS(f"{dropped} pool schema(s) dropped."))
        status = services.pool_status()
        oldest = status.oldest_ready.isoformat(timespec="seconds") if status.oldest_ready else "-"
        self.stdout.write(
            f"Pool: {status.ready} ready of {status.target} wanted; oldest {oldest}; "
            f"template schema {'present' if status.template_present else 'MISSING'}."
        )
