"""manage.py seed_demo: the demo store, its catalog and the operator account (safe to rerun)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core import demo
from apps.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = (
        "Create the demo store with its catalog, and an operator superuser; "
        "a second run changes nothing."
    )

    def handle(self, *args, **options):
        try:
            result = demo.demo_seed(progress=self._product_done)
        except ApplicationError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        for line in result.created:
            self.stdout.write(self.style.SUCCESS(f"created {line}"))
        self._show_the_way_in(result)
        if result.changed:
            self.stdout.write(f"Demo data seeded ({len(result.created)} created).")
        else:
            self.stdout.write(
                "Demo data already present (" + ", ".join(result.existing) + "): nothing changed."
            )

    def _product_done(self, done: int, total: int, product) -> None:
        # Counted lines, about eight per catalog: enough to see it move, not a wall of text.
        step = max(1, total // 8)
        if done == 1:
            self.stdout.write(f"Building the demo catalog ({total} products) ...")
        if done % step == 0 or done == total:
            self.stdout.write(f"  {done:>3}/{total} products ({product.name})")

    def _show_the_way_in(self, result: demo.DemoSeedResult) -> None:
        port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
        scheme = settings.PUBLIC_SCHEME
        public = f"{scheme}://{settings.BASE_DOMAIN}{port}"
        store = f"{scheme}://{result.tenant.primary_host}{port}"
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"  Public site (signup, pricing)  {public}/",
                    f"  Operator admin                 {public}/admin/"
                    f"   {demo.OPERATOR_EMAIL} / {demo.OPERATOR_PASSWORD}",
                    f"  Demo store                     {store}/",
                    f"  Demo store admin               {store}/admin/"
                    f"   {demo.DEMO_OWNER_EMAIL} / {demo.DEMO_OWNER_PASSWORD}",
                    f"  Demo store API docs            {store}/api/docs/",
                    "",
                ]
            )
        )
