"""Storefront cart forms: input shapes only; apps.cart.services decide."""

from django import forms

from apps.cart.services import MAX_LINE_QUANTITY


class AddToCartForm(forms.Form):
    variant = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quantity = forms.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY, initial=1)


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(
        min_value=0, max_value=MAX_LINE_QUANTITY, help_text="0 removes the item."
    )


class VoucherForm(forms.Form):
    code = forms.CharField(label="Voucher code", max_length=40, strip=True)
