"""Serializers every app's API shares."""

from django.contrib.auth import get_user_model
from rest_framework import serializers


class PersonSerializer(serializers.ModelSerializer):
    """A person as every endpoint names one (who coached, moved, changed or owns something):
    their id, name and email, never more."""

    class Meta:
        model = get_user_model()
        fields = ["id", "full_name", "email"]
        read_only_fields = fields
