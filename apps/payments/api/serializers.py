"""Payments API serializers. Input serializers only check shapes; the services own every rule
(their ApplicationError is the one error shape, on the field it names)."""

from rest_framework import serializers

from apps.payments.models import Payment, PaymentTransaction


class PaymentMethodSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text='What checkout takes as the payment method, e.g. "test".'
    )
    name = serializers.CharField()
    instructions = serializers.CharField(help_text="For the shopper, e.g. bank details.")
    needs_card = serializers.BooleanField(
        help_text="Send card details (number, exp_month, exp_year, cvc) as payment_data."
    )


class PaymentTransactionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentTransaction
        fields = [
            "id",
            "kind",
            "amount",
            "success",
            "provider_reference",
            "error_code",
            "error_message",
            "created",
        ]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    order_number = serializers.IntegerField(source="order.number", read_only=True)
    refundable_amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    transactions = PaymentTransactionSerializer(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "order",
            "order_number",
            "provider",
            "amount",
            "currency",
            "status",
            "captured_amount",
            "refunded_amount",
            "refundable_amount",
            "provider_reference",
            "created",
            "updated",
            "transactions",
        ]
        read_only_fields = fields


class PaymentFilter(serializers.Serializer):
    order = serializers.IntegerField(required=False, min_value=1, help_text="Order id.")
    status = serializers.ChoiceField(choices=Payment.Status.choices, required=False)


class MarkPaidSerializer(serializers.Serializer):
    reference = serializers.CharField(
        required=False, allow_blank=True, max_length=255, help_text="E.g. the bank's reference."
    )


class RefundSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=3,
        required=False,
        allow_null=True,
        help_text="Absent or null: everything captured and not yet refunded.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class WebhookOutcomeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["applied", "duplicate", "ignored"])
    event_id = serializers.CharField()
