"""Django forms meet service refusals: an ApplicationError lands on the field it names.

Services raise ApplicationError (one field) or ApplicationFieldErrors (several at once); a view
or admin form catches it and calls `form_errors_add`, so the page shows each message next to
its input with everything else the person typed kept.
"""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError

from apps.core.exceptions import ApplicationError, ApplicationFieldErrors, FieldError


def form_errors_add(
    form: forms.BaseForm,
    error: ApplicationError,
    *,
    field_map: Mapping[str, str] | None = None,
    prefix: str = "",
) -> None:
    """Put `error` on `form`: each field error on its field, the rest on the whole form.

    A service's field name is looked up in `field_map` (the service says "pickup_address.city",
    the form calls it "pickup_city") after `prefix` ("shipping_address.") is taken off; a field
    the form does not have gets a form-wide error, so nothing is silently dropped.
    """
    field_map = field_map or {}
    if isinstance(error, ApplicationFieldErrors):
        field_errors = list(error.errors)
    else:
        field_errors = [FieldError(field=error.field or "", message=error.message, code=error.code)]
    for field_error in field_errors:
        name = field_error.field
        if prefix and name.startswith(prefix):
            name = name[len(prefix) :]
        name = field_map.get(name, name)
        target = name if name and name in form.fields else None
        form.add_error(target, ValidationError(field_error.message, code=field_error.code))
