"""The save machinery of every app's admin: every save is service calls, and a service's
refusal (ApplicationError) is shown on the field it names with the merchant's input kept.

ServiceAdminMixin runs Django's change page; save_model / save_related / save_formset of each
admin call the services. When one refuses, the exception rolls back changeform_view's
transaction and the same POST is validated again with the refusal attached (a ServiceFailure)
to the form or inline row it came from, so Django renders the page with the error in place.
"""

from django.db import connection

from apps.core.admin_forms import ServiceFailure, ServiceInlineFormSet
from apps.core.admin_site import NotFoundMixin
from apps.core.exceptions import ApplicationError
from apps.core.money import Money


def row_target(error: ApplicationError, prefix: str, index: int) -> ApplicationError:
    error.admin_target = (prefix, index)
    return error


class ServiceAdminMixin(NotFoundMixin):
    """A change page whose saves are service calls; refusals shown on their fields."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as error:
            # The save ran in changeform_view's transaction, rolled back by the exception.
            if request.method != "POST" or getattr(request, "service_failure", None):
                raise
            prefix, index = getattr(error, "admin_target", (None, None))
            request.service_failure = ServiceFailure(error=error, prefix=prefix, index=index)
            # Uploads were read (and stored, then rolled back) by the first pass: rewind them
            # so the form fields see the same files again.
            for _, files in request.FILES.lists():
                for upload in files:
                    upload.seek(0)
            # Validate the same POST again; the failure makes its form invalid, so Django
            # renders the page with the merchant's input and the error on the field.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        failure = getattr(request, "service_failure", None)
        if failure is not None and failure.prefix is None:
            form = type(form.__name__, (form,), {"service_failure": failure})
        return form

    def save_form(self, request, form, change):
        # The instance with the form's values applied, unsaved: services do the saving.
        return form.instance

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def rows(self, formset):
        """(index, form) of the rows to create, change and delete, in that order of work:
        deletions first, so a SKU or value freed by a deleted row can be reused."""
        deleted, changed, created = [], [], []
        to_delete = formset.deleted_forms if formset.can_delete else []
        for index, form in enumerate(formset.forms):
            if form in to_delete:
                if form.instance.pk:
                    deleted.append((index, form))
            elif form.instance.pk:
                if form.has_changed():
                    changed.append((index, form))
            elif form.has_changed():
                created.append((index, form))
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return deleted, changed, created


class ServiceInlineMixin:
    formset = ServiceInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        failure = getattr(request, "service_failure", None)
        if failure is not None and failure.prefix is not None:
            formset = type(formset.__name__, (formset,), {"service_failure": failure})
        return formset


def money_display(amount) -> str:
    currency = getattr(getattr(connection, "tenant", None), "currency", "USD")
    return str(Money(amount, currency))
