"""migrate_schemas, plus: keep the template schema and the pool of ready schemas current.

The template and pool schemas are Tenant rows, so the stock command migrates them with the
fleet (a schema taken from the pool is never behind); after it, we make sure the template
exists and top the pool up.
"""

import time

from django.db import connection
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from tenants import services


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        whole_fleet = self.sync_tenant and not options.get("schema_name")
        if not whole_fleet:
            return
        connection.set_schema_to_public()
        verbose = options.get("verbosity", 1) >= 1
        services.template_ensure()
        started = time.monotonic()

        def progress(done: int, todo: int) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(f"  pool: {done}/{todo} schema(s) ready ({elapsed:.1f} s)")

        added = services.pool_fill(progress=progress if verbose else None)
        if verbose:
            status = services.pool_status()
            self.stdout.write(
                f"Template schema current; {added} pool schema(s) added, "
                f"{status.ready}/{status.target} ready."
            )
