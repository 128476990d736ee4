"""Every action names its practice (an action agreed at a visit may have no plan): fill it in
for the plan actions that exist, then make it required. Existing actions also get the first
step of their status history."""

import django.db.models.deletion
from django.db import migrations, models


def fill_practice_and_history(apps, schema_editor):
    PlanAction = apps.get_model("coaching", "PlanAction")
    ActionStatusChange = apps.get_model("coaching", "ActionStatusChange")
    for action in PlanAction.objects.filter(practice__isnull=True).select_related("plan"):
        action.practice_id = action.plan.practice_id
        action.save(update_fields=["practice"])
    steps = []
    for action in PlanAction.objects.all():
        steps.append(
            ActionStatusChange(
                program_id=action.program_id,
                action_id=action.pk,
                from_status="",
                to_status="open",
                changed_at=action.created_at,
            )
        )
        if action.status != "open":
            steps.append(
                ActionStatusChange(
                    program_id=action.program_id,
                    action_id=action.pk,
                    from_status="open",
                    to_status=action.status,
                    note=action.status_note,
                    changed_at=action.completed_at or action.updated_at,
                )
            )
    ActionStatusChange.objects.bulk_create(steps, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0002_visits_feedback_caseload"),
        ("practices", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill_practice_and_history, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="planaction",
            name="practice",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="actions",
                to="practices.practice",
            ),
        ),
    ]
