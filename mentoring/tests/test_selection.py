import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import Application, Interview, Mentee, MentorPair
from peers.models import Notification, Role
from peers.tests.factories import LearningCommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _applicant(cycle, year, score, community=None):
    user = UserFactory()
    MembershipFactory(user=user, program=cycle.program, role=Role.TRAINEE, learning_community=community)
    application = Application.objects.create(cycle=cycle, applicant=user, entering_year=year, motivation="I care")
    Interview.objects.create(
        application=application, understanding=score, prior_experience=score, dedication=score, professionalism=score
    )
    return application


def test_selection_takes_the_best_scores_up_to_the_positions_and_tells_everyone(pair_world):
    cycle = pair_world["cycle"]
    cycle.positions_third_year = 2
    cycle.save()
    applications = [_applicant(cycle, 3, score) for score in (5, 2, 4, 3, 1)]
    counts = services.applications_select(cycle=cycle, waitlist_size=2)
    statuses = {a.interview.total: Application.objects.get(pk=a.pk).status for a in applications}
    assert statuses == {20: "selected", 16: "selected", 12: "waitlisted", 8: "waitlisted", 4: "declined"}
    assert counts == {"selected": 2, "waitlisted": 2, "declined": 1}
    assert Notification.objects.filter(kind="mentor_application").count() == 5


def test_proposed_pairs_keep_learning_communities_and_publishing_tells_everyone(pair_world):
    cycle = pair_world["cycle"]
    MentorPair.objects.all().delete()
    maple, birch = (LearningCommunityFactory(program=cycle.program, name=n) for n in ("Maple", "Birch"))
    for community in (maple, birch):
        faculty = UserFactory()
        MembershipFactory(user=faculty, program=cycle.program, role=Role.FACULTY_MENTOR, learning_community=community)
    for year in (3, 4):
        for community in (maple, birch):
            _applicant(cycle, year, 5, community)
    services.applications_select(cycle=cycle)
    assert services.pairing_save_proposal(cycle=cycle) == 2
    assert all("same learning community" in pair.reasons for pair in MentorPair.objects.all())
    for pair in MentorPair.objects.select_related("faculty_mentor"):
        lc = {m.learning_community_id for m in pair.third_year.memberships.all()} & {
            m.learning_community_id for m in pair.fourth_year.memberships.all()
        }
        assert lc and pair.learning_community_id in lc
    told = services.pairing_publish(cycle=cycle)
    assert told == 6 and Notification.objects.filter(kind="pairs_published").count() == 6
    assert not MentorPair.objects.filter(published_at__isnull=True).exists()


def test_a_student_applies_once_from_the_web_form(client, pair_world):
    cycle = pair_world["cycle"]
    client.force_login(pair_world["mentee_user"])
    closed = client.post(reverse("mentoring:apply"), {"entering_year": "3", "motivation": "Early"}, follow=True)
    assert "not open right now" in closed.content.decode() and not Application.objects.exists()
    cycle.applications_open_on = timezone.localdate() - datetime.timedelta(days=1)
    cycle.applications_close_on = timezone.localdate() + datetime.timedelta(days=10)
    cycle.save()
    bad = client.post(reverse("mentoring:apply"), {"entering_year": "7", "motivation": ""})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    client.post(reverse("mentoring:apply"), {"entering_year": "3", "motivation": "I was helped once."})
    assert Application.objects.get().applicant == pair_world["mentee_user"]
    again = client.post(reverse("mentoring:apply"), {"entering_year": "3", "motivation": "Again"}, follow=True)
    assert "already applied" in again.content.decode() and Application.objects.count() == 1


def test_cohorts_keep_learning_communities_balance_sizes_and_give_md_phd_students_the_md_phd_pair_too(pair_world):
    cycle = pair_world["cycle"]
    MentorPair.objects.all().delete()
    maple, birch = (LearningCommunityFactory(program=cycle.program, name=n) for n in ("Maple", "Birch"))
    faculty = pair_world["faculty"]

    def pair(community, md_phd=False):
        return MentorPair.objects.create(
            cycle=cycle,
            third_year=UserFactory(),
            fourth_year=UserFactory(),
            faculty_mentor=faculty,
            learning_community=community,
            is_md_phd=md_phd,
        )

    maple_one, maple_two, birch_pair, md_phd_pair = pair(maple), pair(maple), pair(birch), pair(None, md_phd=True)
    for n in range(10):
        MembershipFactory(
            program=cycle.program, role=Role.TRAINEE, class_year=1 + n % 2, learning_community=maple if n < 6 else birch
        )
    md_phd_students = [
        MembershipFactory(
            program=cycle.program, role=Role.TRAINEE, class_year=2, is_md_phd=True, learning_community=maple
        ).user
        for _ in range(3)
    ]
    MembershipFactory(program=cycle.program, role=Role.TRAINEE, class_year=3)  # a third-year is no mentee
    assert services.cohorts_assign(cycle=cycle) == 16  # 13 learning-community places, 3 MD/PhD ones
    sizes = {p: p.mentees.count() for p in (maple_one, maple_two, birch_pair, md_phd_pair)}
    assert sizes == {maple_one: 5, maple_two: 4, birch_pair: 4, md_phd_pair: 3}
    for student in md_phd_students:  # their learning community's pair, and the MD/PhD pair as well
        pairs = {m.pair for m in Mentee.objects.filter(user=student)}
        assert md_phd_pair in pairs and len(pairs & {maple_one, maple_two}) == 1
    assert services.cohorts_assign(cycle=cycle) == 0  # placing again changes nothing


def test_a_faculty_mentor_scores_their_own_interviews_from_a_web_page(client, pair_world):
    cycle = pair_world["cycle"]
    application = Application.objects.create(cycle=cycle, applicant=UserFactory(), entering_year=3, motivation="x")
    interview = Interview.objects.create(application=application, interviewer=pair_world["faculty"])
    other = Interview.objects.create(
        application=Application.objects.create(cycle=cycle, applicant=UserFactory(), entering_year=4, motivation="y")
    )
    client.force_login(pair_world["faculty"])
    bad = client.post(reverse("mentoring:interviews"), {"interview": interview.pk, "understanding": "9"}, follow=True)
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    client.post(
        reverse("mentoring:interviews"),
        {
            "interview": interview.pk,
            "understanding": "5",
            "prior_experience": "3",
            "dedication": "4",
            "professionalism": "5",
        },
    )
    interview.refresh_from_db()
    assert interview.total == 17
    assert (
        client.post(reverse("mentoring:interviews"), {"interview": other.pk, "understanding": "5"}).status_code == 404
    )


def test_coordinators_see_compliance_mentee_by_mentee(client, pair_world):
    client.force_login(pair_world["coordinator"])
    page = client.get(reverse("mentoring:figures")).content.decode()
    assert "Mentee by mentee" in page and "Mentee" in page
    own_row = '<td data-label="Pair">Third &amp; Fourth</td><td data-label="Mentee">Mentee</td>'
    assert own_row in page  # the mentee's own row, each cell labelled for a phone


def test_applicants_state_a_preferred_partner_and_conflicts(client, pair_world):
    cycle = pair_world["cycle"]
    cycle.applications_open_on = timezone.localdate() - datetime.timedelta(days=1)
    cycle.applications_close_on = timezone.localdate() + datetime.timedelta(days=1)
    cycle.save()
    client.force_login(pair_world["mentee_user"])
    unknown = client.post(
        reverse("mentoring:apply"),
        {"entering_year": "3", "motivation": "x", "preferred_partner": "nobody@example.edu"},
        follow=True,
    )
    assert "is not a student of" in unknown.content.decode() and not Application.objects.exists()
    client.post(
        reverse("mentoring:apply"),
        {
            "entering_year": "3",
            "motivation": "x",
            "preferred_partner": "third@example.edu",
            "avoid": "fourth@example.edu",
        },
    )
    application = Application.objects.get()
    assert application.preferred_partner == pair_world["third"]
    assert application.avoided_ids == {pair_world["fourth"].pk}
