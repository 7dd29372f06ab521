"""After a session: who came, and their anonymous feedback."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sessions_app.models import Booking, Feedback, Session


def attendance_record(*, session: Session, present_user_ids: set[int]) -> int:
    """Mark every booked trainee present or absent; the session counts as held."""
    if session.starts_at > timezone.now() or session.status == Session.Status.CANCELLED:
        raise ValidationError("Attendance opens when the session starts.")
    with transaction.atomic():
        bookings = list(Booking.objects.select_for_update().filter(session=session, status=Booking.Status.BOOKED))
        for booking in bookings:
            booking.attended = booking.user_id in present_user_ids
        Booking.objects.bulk_update(bookings, ["attended"])
        Session.objects.filter(pk=session.pk, status=Session.Status.SCHEDULED).update(status=Session.Status.COMPLETED)
    return len(bookings)


def feedback_submit(*, booking: Booking, rating: int, comment: str) -> Feedback:
    """Anonymous feedback, once per booking. The feedback row does not point at the
    booking or the person; the booking records only that feedback was given."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.BOOKED or booking.session.status == Session.Status.CANCELLED:
            raise ValidationError("Feedback is for sessions you attended.")
        if booking.feedback_given:
            raise ValidationError("You've already given feedback for this session. Thank you!")
        if booking.attended is False or booking.session.ends_at > timezone.now():
            raise ValidationError("Feedback opens after a session you attended.")
        feedback = Feedback(session_id=booking.session_id, rating=rating, comment=comment.strip())
        feedback.full_clean()
        feedback.save()
        booking.feedback_given = True  # a yes/no, never a time that could be matched to the comment
        booking.save(update_fields=["feedback_given"])
    return feedback
