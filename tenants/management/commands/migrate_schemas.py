"""migrate_schemas, plus: keep the template schema and the pool of ready schemas current.

The template and pool schemas are Tenant rows, so the stock command migrates them with the
fleet (a schema taken from the pool is never behind); after it, we make sure the template
exists and top the pool up.
"""

import time

from django.db import connection
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from tenants import schemas, services


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        tenants_too = options.get("tenant") or not options.get("shared")
        whole_fleet = tenants_too and not options.get("schema_name")
        if not whole_fleet:
            super().handle(*args, **options)
            return
        # No store or pool schema may appear (or be renamed) while the fleet's list is walked.
        connection.set_schema_to_public()
        schemas.fleet_migration_lock_acquire()
        try:
            super().handle(*args, **options)
            self._template_and_pool_upkeep(options)
        finally:
            connection.set_schema_to_public()
            schemas.fleet_migration_lock_release()

    def _template_and_pool_upkeep(self, options) -> None:
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
