"""The merchant's catalog admin. Thin: forms check input, apps.catalog.services do every write.

Saving a change page calls the services from save_model / save_related (never form.save()).
When a service refuses (ApplicationError), ServiceAdminMixin rolls the whole save back and shows
the same page again with the refusal on the field it names (see admin_forms.ServiceFailure).
"""

from apps.catalog.admin import products, structure, types

__all__ = ["products", "structure", "types"]
