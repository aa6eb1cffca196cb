"""migrate_schemas, plus: keep the template schema and the pool of ready schemas current.

The template and pool schemas are Tenant rows, so the stock command migrates them with the
fleet; after it, we make sure the template exists and top the pool up.
"""

from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from tenants import services


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        whole_fleet = self.sync_tenant and not options.get("schema_name")
        if not whole_fleet:
            return
        services.template_ensure()
        verbose = options.get("verbosity", 1) >= 1
        added = services.pool_fill(
            progress=(lambda n: self.stdout.write(f"  pool: schema {n} ready")) if verbose else None
        )
        if verbose:
            self.stdout.write(f"Template schema current; {added} pool schema(s) added.")
