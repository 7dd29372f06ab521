"""The demo's mail viewer at /dev/mail/: the emails peers/mail.py kept, in full.

Reachable only while DJANGO_DEBUG is on (production settings answer 404 whatever else
is set), and then by staff, or by anyone when PEERS_DEMO is on (`make run` sets it, so
that a demo visitor can read the sign-in code sent to any demo account). An email's
HTML is served on its own, under a policy that runs no script and loads nothing, and
shown in a sandboxed frame.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from peers.mail import StoredMail, mail_get, mail_list

# The frame's own policy: the email's inline styles, its data: images, nothing else.
EMAIL_HTML_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


def mail_viewer_check(request: HttpRequest) -> None:
    if not settings.DEBUG or not (settings.PEERS_DEMO or request.user.is_staff):
        raise Http404("The mail viewer is only for demos and development.")


def _mail_or_404(request: HttpRequest, message_id: str) -> StoredMail:
    mail_viewer_check(request)
    mail = mail_get(directory=settings.PEERS_DEMO_MAIL_DIR, message_id=message_id)
    if mail is None:
        raise Http404("No such email.")
    return mail


@never_cache
def dev_mail_list(request: HttpRequest) -> HttpResponse:
    mail_viewer_check(request)
    return render(request, "dev/mail_list.html", {"mails": mail_list(directory=settings.PEERS_DEMO_MAIL_DIR)})


@never_cache
def dev_mail_detail(request: HttpRequest, message_id: str) -> HttpResponse:
    return render(request, "dev/mail_detail.html", {"mail": _mail_or_404(request, message_id)})


@never_cache
@xframe_options_sameorigin
def dev_mail_html(request: HttpRequest, message_id: str) -> HttpResponse:
    response = HttpResponse(_mail_or_404(request, message_id).html)
    response["Content-Security-Policy"] = EMAIL_HTML_POLICY
    response._csp_exempt = True  # django-csp would replace the policy above with the site's
    return response
