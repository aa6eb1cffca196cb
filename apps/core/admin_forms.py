"""Admin forms whose writes are service calls, for every app's admin.

A service's ApplicationError must land on the field it is about, with the rest of the input
kept. The admin (apps.core.admin_services.ServiceAdminMixin) runs the save; when a service
refuses, the transaction is rolled back and the same POST is validated a second time with the
refusal attached as a `ServiceFailure`: the form (or the inline formset row) it belongs to adds
it as a field error, so Django's own change page shows it next to the field with everything the
merchant typed.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from apps.core.exceptions import ApplicationError


@dataclass(frozen=True)
class ServiceFailure:
    """A service's refusal and where the admin sent the input from: the main form (prefix
    None) or row `index` of the inline formset `prefix`."""

    error: ApplicationError
    prefix: str | None = None
    index: int | None = None


def _no_constraint_checks(exclude=None) -> None:
    return


def as_validation_error(error: ApplicationError) -> ValidationError:
    return ValidationError(error.message, code=error.code)


class ServiceModelForm(forms.ModelForm):
    """Model forms whose saving is done by services.

    Uniqueness is the services' rule (their messages, their locks), so the model's own unique
    checks are skipped here. `service_field_aliases` maps a service's field name to this form's
    (a service says "image_file", the form calls it "image").
    """

    service_failure: ServiceFailure | None = None
    service_field_aliases: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:  # the services make one from the name
            self.fields["slug"].required = False

    def _post_clean(self) -> None:
        # Uniqueness and the table's constraints are the services' rules (their messages, their
        # locks); the model's own checks would answer first, in Django's generic wording
        # ('Constraint "..." is violated.'). Field-level checks still run.
        self.instance.validate_constraints = _no_constraint_checks
        try:
            super()._post_clean()
        finally:
            del self.instance.validate_constraints

    def validate_unique(self) -> None:
        return

    def service_error_add(self, error: ApplicationError) -> None:
        field = self.service_field_aliases.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, as_validation_error(error))

    def clean(self):
        cleaned = super().clean()
        if self.service_failure is not None and self.service_failure.prefix is None:
            self.service_error_add(self.service_failure.error)
        return cleaned


class ServiceInlineFormSet(BaseInlineFormSet):
    """Inline rows saved by services; a refusal from a row's service call lands on that row."""

    service_failure: ServiceFailure | None = None

    def clean(self) -> None:
        super().clean()
        failure = self.service_failure
        if failure is None or failure.prefix != self.prefix:
            return
        if failure.index is not None and 0 <= failure.index < len(self.forms):
            self.forms[failure.index].service_error_add(failure.error)
        else:
            raise as_validation_error(failure.error)

    def _should_delete_form(self, form) -> bool:
        # A row whose deletion a service refused counts as kept (Django skips the errors of
        # rows marked for deletion), so the page comes back with the refusal on that row
        # instead of saving again (and failing again, as a 500).
        failure = self.service_failure
        if (
            failure is not None
            and failure.prefix == self.prefix
            and failure.index is not None
            and 0 <= failure.index < len(self.forms)
            and self.forms[failure.index] is form
        ):
            return False
        return super()._should_delete_form(form)
