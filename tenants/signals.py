"""Any change to a store or a domain, from a service or the admin, refreshes host routing."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants import routing
from tenants.models import Domain, Tenant


@receiver([post_save, post_delete], sender=Tenant)
@receiver([post_save, post_delete], sender=Domain)
def _routing_changed(**kwargs) -> None:
    transaction.on_commit(routing.routing_invalidate)
