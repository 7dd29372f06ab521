"""The demo's email backend (peers/mail.py) and its viewer at /dev/mail/."""

import io

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from peers.mail import DemoEmailBackend, mail_get, mail_list
from peers.tests.factories import UserFactory, give_totp
from peers.tests.test_settings import _manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_dir(settings, tmp_path):
    settings.PEERS_DEMO_MAIL_DIR = tmp_path / "demo-mail"
    settings.PEERS_SITE_URL = "http://localhost:8123"
    return settings.PEERS_DEMO_MAIL_DIR


def _send(mail_dir, *, subject="Your session is tomorrow", html="<p style='color:#333'>Hi <b>there</b></p>"):
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject=subject,
        body="Hello,\n\nOpen it in PEERS: http://localhost:8123/sessions/7/\nOr http://localhost:8123/inbox/\n",
        to=["trainee@example.edu"],
    )
    message.attach_alternative(html, "text/html")
    message.attach("session.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    assert DemoEmailBackend(stream=stream, directory=mail_dir).send_messages([message]) == 1
    return stream.getvalue()


def test_each_email_is_one_console_line_with_recipient_subject_and_first_link(mail_dir):
    output = _send(mail_dir)
    assert output.count("\n") == 1 and "Content-Type" not in output
    (mail,) = mail_list(directory=mail_dir)
    assert output == (
        '[mail] to trainee@example.edu · "Your session is tomorrow" · http://localhost:8123/sessions/7/'
        f" (full email: http://localhost:8123/dev/mail/{mail.id}/)\n"
    )
    assert "http://localhost:8123/inbox/" in mail.text and "<b>there</b>" in mail.html


def test_only_the_newest_emails_are_kept_newest_first(mail_dir, settings):
    settings.PEERS_DEMO_MAIL_KEEP = 3
    for n in range(5):
        _send(mail_dir, subject=f"Email {n}")
    assert [m.subject for m in mail_list(directory=mail_dir)] == ["Email 4", "Email 3", "Email 2"]


def test_a_demo_visitor_reads_every_email_in_full_without_signing_in(client, mail_dir, settings):
    settings.DEBUG, settings.PEERS_DEMO = True, True
    _send(mail_dir, subject="Code <script>alert(1)</script>")
    (mail,) = mail_list(directory=mail_dir)
    listing = client.get(reverse("dev_mail_list")).content.decode()
    assert reverse("dev_mail_detail", args=[mail.id]) in listing and "<script>alert" not in listing
    page = client.get(reverse("dev_mail_detail", args=[mail.id])).content.decode()
    assert "trainee@example.edu" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="http://localhost:8123/sessions/7/"' in page  # the text's links can be followed
    frame = f'<iframe class="dev-mail-frame" sandbox src="{reverse("dev_mail_html", args=[mail.id])}"'
    assert frame in page


def test_the_html_is_served_alone_under_a_policy_that_runs_nothing(client, mail_dir, settings):
    settings.DEBUG, settings.PEERS_DEMO = True, True
    _send(mail_dir)
    (mail,) = mail_list(directory=mail_dir)
    response = client.get(reverse("dev_mail_html", args=[mail.id]))
    assert response.content.decode() == "<p style='color:#333'>Hi <b>there</b></p>"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_outside_a_demo_only_staff_may_read_the_emails(client, mail_dir, settings):
    settings.DEBUG, settings.PEERS_DEMO = True, False
    _send(mail_dir)
    assert client.get(reverse("dev_mail_list")).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("dev_mail_list")).status_code == 404
    staff = UserFactory(is_staff=True)
    give_totp(staff)
    client.force_login(staff)
    assert "Your session is tomorrow" in client.get(reverse("dev_mail_list")).content.decode()


def test_with_debug_off_the_viewer_does_not_exist_even_for_a_demo(client, mail_dir, settings):
    settings.DEBUG, settings.PEERS_DEMO = False, True
    _send(mail_dir)
    (mail,) = mail_list(directory=mail_dir)
    staff = UserFactory(is_staff=True, is_superuser=True)
    give_totp(staff)
    client.force_login(staff)
    for name, args in [("dev_mail_list", []), ("dev_mail_detail", [mail.id]), ("dev_mail_html", [mail.id])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 404 and "Your session is tomorrow" not in response.content.decode()


def test_an_address_outside_the_mail_folder_is_not_found(client, mail_dir, settings):
    settings.DEBUG, settings.PEERS_DEMO = True, True
    _send(mail_dir)
    (mail_dir.parent / "1796175860505737656-4f8f1628.eml").write_text("Subject: secret\n\nno")
    assert mail_get(directory=mail_dir, message_id="../1796175860505737656-4f8f1628") is None
    assert client.get("/dev/mail/..%2F1796175860505737656-4f8f1628/").status_code == 404
    assert client.get(reverse("dev_mail_detail", args=["1234"])).status_code == 404


def test_debug_without_email_url_uses_the_demo_backend_and_email_url_still_wins():
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    demo = _manage("shell", "-c", code, extra_env={})
    smtp = _manage("shell", "-c", code, extra_env={"EMAIL_URL": "smtp://mail.example.edu:587"})
    assert demo.stdout.split()[-1] == "peers.mail.DemoEmailBackend", demo.stderr
    assert smtp.stdout.split()[-1] == "django.core.mail.backends.smtp.EmailBackend", smtp.stderr


def test_a_private_status_link_never_reaches_the_demo_mail_folder_or_the_console(mail_dir):
    """Staff (or anyone, in a demo) read the folder; a status link is the requester's only key."""
    secret = "k3y-only-the-requester-holds-0123456789"
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject="Your request",
        body=f"Your private link: http://localhost:8123/support/status/{secret}/\n",
        to=["someone@private.example"],
    )
    message.attach_alternative(f"<a href='http://localhost:8123/support/status/{secret}/'>status</a>", "text/html")
    assert DemoEmailBackend(stream=stream, directory=mail_dir).send_messages([message]) == 1
    stored = b"".join(path.read_bytes() for path in mail_dir.iterdir()).decode("utf-8", "replace")
    assert secret not in stored and secret not in stream.getvalue()
    assert "/support/status/" in stored, "the email still says where the page is"
