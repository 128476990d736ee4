"""The change history in the API: one serializer every history endpoint shares (plans/{id},
assessments/{id}, visits/{id} and plan-actions/{id}, each …/history/)."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from psp.history.models import ChangeRecord


class ChangedBySerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "full_name", "email"]
        read_only_fields = fields


class ChangeRecordSerializer(serializers.ModelSerializer):
    changed_by = ChangedBySerializer(read_only=True, allow_null=True)

    class Meta:
        model = ChangeRecord
        fields = ["id", "what", "summary", "changes", "changed_by", "changed_at"]
        read_only_fields = fields
        extra_kwargs = {
            "what": {"help_text": "What happened, e.g. plan.edited, goal.added."},
            "changes": {"help_text": "{field: [before, after]}; may be empty."},
        }
