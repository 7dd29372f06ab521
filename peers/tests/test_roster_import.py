import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peers.models import Membership, Role, User
from peers.services.roster import roster_import
from peers.tests.factories import LearningCommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "email,name,program,role,starts_on,ends_on,class_year,pgy,is_md_phd,learning_community\n"


@pytest.fixture
def community(program):
    return LearningCommunityFactory(program=program, name="Maple")


def good_file(program) -> str:
    return HEADER + (
        f"ana.new@example.edu,Ana New,{program.name},trainee,2026-07-01,,1,,no,Maple\n"
        f"ben.new@example.edu,Ben New,{program.name},facilitator,2026-07-01,2027-06-30,3,,yes,\n"
    )


def test_good_file_creates_people_and_memberships(coordinator, program, community):
    result, problems = roster_import(actor=coordinator, csv_text=good_file(program))
    assert problems == []
    ana = User.objects.get(email="ana.new@example.edu")
    assert ana.name == "Ana New"
    membership = Membership.objects.get(user=ana, program=program)
    assert (membership.role, membership.class_year, membership.learning_community) == (Role.TRAINEE, 1, community)
    assert Membership.objects.get(user__email="ben.new@example.edu").is_md_phd is True


def test_importing_the_same_file_twice_changes_nothing(coordinator, program, community):
    roster_import(actor=coordinator, csv_text=good_file(program))
    before = (User.objects.count(), Membership.objects.count(), Membership.pgh_event_model.objects.count())
    result, problems = roster_import(actor=coordinator, csv_text=good_file(program))
    assert problems == []
    assert (User.objects.count(), Membership.objects.count(), Membership.pgh_event_model.objects.count()) == before
    assert result.totals["skip"] == 2


def test_a_changed_row_updates_the_membership(coordinator, program, community):
    roster_import(actor=coordinator, csv_text=good_file(program))
    changed = good_file(program).replace("trainee,2026-07-01,,1,", "trainee,2026-07-01,,2,")
    roster_import(actor=coordinator, csv_text=changed)
    assert Membership.objects.get(user__email="ana.new@example.edu").class_year == 2


@pytest.mark.parametrize(
    ("bad_row", "column", "fragment"),
    [
        ("not-an-email,X,{p},trainee,2026-07-01,,1,,no,", "email", "not a valid email"),
        ("c@example.edu,C,Nowhere,trainee,2026-07-01,,1,,no,", "program", "no program named"),
        ("c@example.edu,C,{p},wizard,2026-07-01,,1,,no,", "role", "not a valid choice"),
        ("c@example.edu,C,{p},trainee,01/07/2026,,1,,no,", "starts_on", "format"),
        ("c@example.edu,C,{p},trainee,2026-07-01,2026-01-01,1,,no,", "ends_on", "on or after"),
        ("c@example.edu,C,{p},trainee,2026-07-01,,one,,no,", "class_year", "whole number"),
        ("c@example.edu,C,{p},trainee,2026-07-01,,1,,perhaps,", "is_md_phd", "yes or no"),
        ("c@example.edu,C,{p},trainee,2026-07-01,,1,,no,Oak", "learning_community", "no learning community"),
    ],
)
def test_one_bad_row_imports_nothing_and_names_row_and_column(
    coordinator, program, community, bad_row, column, fragment
):
    text = good_file(program) + bad_row.format(p=program.name) + "\n"
    users_before, memberships_before = User.objects.count(), Membership.objects.count()
    result, problems = roster_import(actor=coordinator, csv_text=text)
    assert (User.objects.count(), Membership.objects.count()) == (users_before, memberships_before)
    assert len(problems) >= 1
    problem = problems[0]
    assert problem.line == 4  # header is line 1, the bad row is the third data row
    assert problem.column in (column, "__all__")
    assert fragment.lower() in problem.message.lower()


def test_coordinator_cannot_import_into_another_program(coordinator, other_program):
    text = HEADER + f"x@example.edu,X,{other_program.name},trainee,2026-07-01,,1,,no,\n"
    _, problems = roster_import(actor=coordinator, csv_text=text)
    assert problems[0].column == "program"
    assert not User.objects.filter(email="x@example.edu").exists()


def test_admin_import_page_shows_the_bad_line_and_saves_nothing(client, coordinator, program, community):
    client.force_login(coordinator)
    text = good_file(program) + f"c@example.edu,C,{program.name},wizard,2026-07-01,,1,,no,\n"
    response = client.post(
        reverse("admin:peers_membership_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<td>3 </td>" in page  # the row number of the bad row in the error table
    assert "wizard" in page and "not a valid choice" in page
    assert "Confirm import" not in page
    assert not User.objects.filter(email__endswith="new@example.edu").exists()


def test_admin_import_of_a_good_file_then_confirm_saves_it(client, coordinator, program, community):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:peers_membership_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("roster.csv", good_file(program).encode(), content_type="text/csv"),
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="ana.new@example.edu").exists()  # the preview saves nothing
    confirm = response.context["confirm_form"]
    done = client.post(reverse("admin:peers_membership_process_import"), confirm.initial)
    assert done.status_code == 302
    assert Membership.objects.filter(user__email="ana.new@example.edu", program=program).exists()


@pytest.mark.parametrize("role", ["support_lead", "peer_supporter", "coordinator"])
def test_import_cannot_grant_office_roles(coordinator, program, role):
    text = HEADER + f"new.lead@example.edu,New Lead,{program.name},{role},2026-07-01,,,,no,\n"
    _, problems = roster_import(actor=coordinator, csv_text=text)
    assert problems[0].column == "role" and "well-being office" in problems[0].message
    assert not User.objects.filter(email="new.lead@example.edu").exists()


def test_import_cannot_touch_a_staff_account(coordinator, program, other_coordinator):
    text = HEADER + f"{other_coordinator.email},Renamed,{program.name},trainee,2026-07-01,,1,,no,\n"
    _, problems = roster_import(actor=coordinator, csv_text=text)
    assert problems[0].column == "email" and "staff account" in problems[0].message
    other_coordinator.refresh_from_db()
    assert other_coordinator.name != "Renamed"
    assert not Membership.objects.filter(user=other_coordinator, program=program).exists()


def test_import_adds_a_membership_but_does_not_rename_someone_from_another_program(coordinator, program, other_program):
    person = UserFactory(email="shared@example.edu", name="Original Name")
    MembershipFactory(user=person, program=other_program)
    text = HEADER + f"shared@example.edu,Changed Name,{program.name},trainee,2026-07-01,,1,,no,\n"
    _, problems = roster_import(actor=coordinator, csv_text=text)
    assert problems == []
    person.refresh_from_db()
    assert person.name == "Original Name"
    assert Membership.objects.filter(user=person, program=program).exists()


def test_a_file_without_the_email_column_says_so(coordinator, program):
    text = "name,program,role\nAna,MD Program,trainee\n"
    _, problems = roster_import(actor=coordinator, csv_text=text)
    assert [(p.line, p.column) for p in problems] == [(1, "email")]
    assert "has no “email” column" in problems[0].message
    assert not User.objects.filter(name="Ana").exists()


@pytest.mark.parametrize("role", ["support_lead", "peer_supporter"])
def test_the_roster_import_refuses_confidential_rows_even_from_the_office(office, program, role):
    text = (
        "email,name,program,role,starts_on,ends_on,class_year,pgy,is_md_phd,learning_community\n"
        f"ok.trainee@example.edu,Ok Trainee,{program.name},trainee,2026-07-01,,1,,no,\n"
        f"new.lead@example.edu,New Lead,{program.name},{role},2026-07-01,,,,no,\n"
    )
    _, problems = roster_import(actor=office[0], csv_text=text)
    assert [(p.line, p.column) for p in problems] == [(3, "role")]
    assert "one office administrator proposes and another approves" in problems[0].message
    assert not Membership.objects.filter(user__email__in=["new.lead@example.edu", "ok.trainee@example.edu"]).exists()
