"""manage.py create_store --name N --slug S --owner-email E --owner-password P"""

from django.core.management.base import BaseCommand, CommandError

from apps.core.exceptions import ApplicationError
from tenants import services


class Command(BaseCommand):
    help = "Create a store with its owner account (the same service as the signup page)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True, help="Host label: <slug>.<BASE_DOMAIN>")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-password", required=True)
        parser.add_argument("--currency", default="USD")
        parser.add_argument("--language", default="en")
        parser.add_argument("--timezone", default="UTC")
        parser.add_argument(
            "--strategy",
            choices=[strategy.value for strategy in services.ProvisionStrategy],
            default=services.ProvisionStrategy.AUTO.value,
            help="auto: from the pool, else cloned from the template (default).",
        )

    def handle(self, *args, **options):
        try:
            result = services.store_provision(
                name=options["name"],
                slug=options["slug"],
                owner_email=options["owner_email"],
                owner_password=options["owner_password"],
                currency=options["currency"],
                language=options["language"],
                timezone=options["timezone"],
                strategy=services.ProvisionStrategy(options["strategy"]),
            )
        except ApplicationError as exc:
            field = f" ({exc.field})" if exc.field else ""
            raise CommandError(f"{exc.message}{field} [{exc.code}]") from exc
        tenant = result.tenant
        self.stdout.write(
            self.style.SUCCESS(
                f"Store “{tenant.name}” created on http://{tenant.primary_host}/ "
                f"(schema {tenant.schema_name}, from {result.strategy})."
            )
        )
