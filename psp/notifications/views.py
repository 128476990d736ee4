"""The notification centre and the notification settings, under /p/<program>/notifications/.

Everyone with a role in the program has them (notifications.own) and sees only their own
notifications: another person's is "not found" (404), the same answer as one that does not
exist. Opening a notification marks it read and follows its link, only ever to a page of this
site.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, ListView

from psp.forms import add_service_errors
from psp.notifications import selectors, services
from psp.notifications.forms import NotificationSettingsForm
from psp.notifications.models import Notification
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability

OWN = Capability.NOTIFICATIONS_OWN


def is_site_path(url: str) -> bool:
    """A path on this site ("/p/north/visits/4/"), never another site, a scheme-relative
    "//elsewhere" or "/\\elsewhere", or a "javascript:" link."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False)
    )


def centre_url(request) -> str:
    return reverse("notifications:list", kwargs={"program": request.program.slug})


def back_to_centre(request) -> str:
    """After a plain post: the centre's page the person was on (`next`, if it is the centre)."""
    target = request.POST.get("next", "")
    return (
        target
        if is_site_path(target) and target.startswith(centre_url(request))
        else (centre_url(request))
    )


class NotificationListView(ProgramPageMixin, ListView):
    """The person's notifications, newest first, unread ones marked. Opening the centre counts
    the unread ones again, so the header's figure heals if it ever drifted."""

    capability = OWN
    template_name = "notifications/list.html"
    context_object_name = "notifications"
    paginate_by = 20

    def get_queryset(self):
        return selectors.notifications_of(user=self.request.user)

    def get(self, request, *args, **kwargs):
        self.unread = services.notifications_recount(
            program=request.program, user=request.user, membership=self.access.membership
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            unread=self.unread, here=self.request.get_full_path(), **kwargs
        )


class NotificationPageMixin(ProgramPageMixin):
    """A page about one of the person's own notifications (`pk`); 404 for anyone else's."""

    capability = OWN
    model = Notification

    def mark_read(self) -> Notification:
        try:
            return services.notification_mark_read(
                program=self.request.program,
                user=self.request.user,
                notification_id=self.kwargs["pk"],
            )
        except Notification.DoesNotExist:
            raise Http404("No such notification.") from None


class NotificationOpenView(NotificationPageMixin, View):
    """Follow a notification's link (marking it read): to its subject, a page of this site.
    A link anywhere else is not followed: back to the centre, saying so."""

    def get(self, request, *args, **kwargs):
        notification = self.mark_read()
        if notification.url and is_site_path(notification.url):
            return redirect(notification.url)
        messages.warning(
            request, f"“{notification.title}” has no page on this site to open; it is marked read."
        )
        return redirect(centre_url(request))


class NotificationReadView(NotificationPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        notification = self.mark_read()
        messages.success(request, f"Marked read: “{notification.title}”.")
        return redirect(back_to_centre(request))


class NotificationReadAllView(ProgramPageMixin, View):
    capability = OWN
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        marked = services.notifications_mark_all_read(program=request.program, user=request.user)
        if marked:
            messages.success(
                request, f"{marked} notification{'' if marked == 1 else 's'} marked read."
            )
        else:
            messages.info(request, "There was nothing unread.")
        return redirect(back_to_centre(request))


class NotificationSettingsView(ProgramPageMixin, FormView):
    """Per kind: email at once, in the daily digest, or in the app only."""

    capability = OWN
    template_name = "notifications/settings.html"
    form_class = NotificationSettingsForm

    def get_form_kwargs(self):
        choices = selectors.preferences_of(user=self.request.user)
        return {**super().get_form_kwargs(), "choices": choices}

    def get_context_data(self, **kwargs):
        return super().get_context_data(program=self.request.program, **kwargs)

    def form_valid(self, form):
        try:
            services.notification_preferences_set(
                program=self.request.program, user=self.request.user, choices=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your notification settings are saved.")
        return redirect("notifications:settings", program=self.request.program.slug)
