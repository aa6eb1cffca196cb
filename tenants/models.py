"""Which store: the public schema's view of the fleet. Nothing inside a store lives here."""

from django.conf import settings
from django.db import models
from django.utils import timezone as django_timezone
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import schema_exists

from tenants.errors import StoreErrorCode


class Tenant(TenantMixin):
    """A store, or one of the platform's spare schemas (the template and the ready pool).

    Template and pool schemas are rows here too so that `migrate_schemas` migrates them with
    the fleet: a schema taken from the pool is never behind.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        POOLED = "pooled", "Ready in pool"
        TEMPLATE = "template", "Template"

    name = models.CharField(max_length=100, blank=True)
    # The host label: <slug>.<BASE_DOMAIN>. Empty (NULL) for template and pool schemas.
    slug = models.SlugField(max_length=40, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    # Stored lower-case (provisioning normalises it), so "find my store" is an indexed lookup.
    owner_email = models.EmailField(blank=True, db_index=True)
    currency = models.CharField(max_length=3, default="USD")
    language = models.CharField(max_length=10, default="en")
    timezone = models.CharField(max_length=64, default="UTC")
    # Placeholder until plans and subscriptions arrive with their own issue.
    plan = models.CharField(max_length=32, default="free")
    created = models.DateTimeField(default=django_timezone.now, db_index=True)

    # Schemas are created and dropped explicitly by tenants.services, never as a side effect.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = "store"
        verbose_name_plural = "stores"
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pooled", "template"])
                | models.Q(slug__isnull=False),
                name="tenants_store_has_slug",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.schema_name

    @property
    def is_store(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.SUSPENDED)

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED

    @property
    def primary_host(self) -> str:
        return f"{self.slug}.{settings.BASE_DOMAIN}"

    def url(self, path: str = "/", *, scheme: str = "", port: str | None = None) -> str:
        """Absolute URL on the store's own host. `port` None means settings.PUBLIC_PORT; ""
        means the scheme's default port."""
        scheme = scheme or settings.PUBLIC_SCHEME
        port = settings.PUBLIC_PORT if port is None else port
        return f"{scheme}://{self.primary_host}{f':{port}' if port else ''}{path}"

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        # django-tenants quietly replays every migration when the template schema is missing;
        # that turns a 1 ms signup into seconds. Refuse instead (the template itself excepted).
        base_schema = self.get_base_schema()
        if self.status != self.Status.TEMPLATE and base_schema and not schema_exists(base_schema):
            from apps.core.exceptions import ApplicationError

            raise ApplicationError(
                f"The template schema {base_schema!r} is missing; run migrate_schemas.",
                code=StoreErrorCode.TEMPLATE_MISSING,
                status_code=503,
            )
        return super().create_schema(check_if_exists, sync_schema, verbosity)

    def get_base_schema(self):
        if self.status == self.Status.TEMPLATE:
            return False
        return super().get_base_schema()


class Domain(DomainMixin):
    """A hostname that serves a store (its <slug>.<BASE_DOMAIN> host, or a custom domain)."""

    created = models.DateTimeField(default=django_timezone.now)

    def __str__(self) -> str:
        return self.domain


class TemplateSnapshot(models.Model):
    """The template schema's DDL, read once from its catalog and replayed for every clone
    (tenants.snapshot). `digest` is the template's digest when it was read: a snapshot whose
    digest no longer matches the template is rebuilt before it is used."""

    schema_name = models.CharField(max_length=63, unique=True)
    digest = models.CharField(max_length=64)
    sql = models.TextField()
    built = models.DateTimeField(default=django_timezone.now)

    def __str__(self) -> str:
        return f"snapshot of {self.schema_name} ({self.built:%Y-%m-%d %H:%M})"
