"""The program's background tasks that need attention (/p/<program>/tasks/), for its admins:
what failed and why, what waits to be tried again, and "Try again"."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from psp.numbers import parse_id
from psp.outbox.models import OutboxMessage
from psp.outbox.selectors import task_label, tasks_needing_attention
from psp.outbox.services import outbox_retry
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability

PAGE_SIZE = 50


class TaskListView(ProgramPageMixin, TemplateView):
    capability = Capability.TASKS_VIEW
    template_name = "outbox/task_list.html"

    def get_context_data(self, **kwargs):
        paginator = Paginator(tasks_needing_attention(), PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        for message in page.object_list:
            message.label = task_label(message.task)
        return super().get_context_data(
            paginator=paginator,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            tasks=page.object_list,
            **kwargs,
        )


class TaskRetryView(ProgramPageMixin, View):
    """POST: send the task again now. A failed task starts its attempts over; one waiting after
    a transient error is sent at once instead of after its backoff."""

    capability = Capability.TASKS_VIEW
    model = OutboxMessage
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        pk = parse_id(str(kwargs["pk"]))
        message = tasks_needing_attention().filter(pk=pk).first() if pk else None
        if message is None:
            raise Http404("No such task.")
        outbox_retry(program=request.program, message_id=message.pk)
        messages.success(
            request,
            f"{task_label(message.task)}: sent again. If it fails again, it is listed here "
            "with the reason.",
        )
        return redirect("tasks:list", program=request.program.slug)
