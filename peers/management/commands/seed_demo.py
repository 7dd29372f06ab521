"""Invented demo data: one institution, a medical school and a residency, and the
people who run and use PEERS. Idempotent: a second run creates nothing."""

import datetime
import random

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from peers import registry
from peers.models import (
    Institution,
    LearningCommunity,
    Membership,
    ProgramKind,
    Role,
    TrainingKind,
    TrainingProgram,
    TrainingRecord,
    User,
)
from peers.models.programs import CONFIDENTIAL_ROLES
from peers.services.crypto import text_encrypt
from peers.services.role_grants import role_grant_approve, role_grant_propose

DEMO_PASSWORD = "peers-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DOMAIN = "lakeshore-med.example"
TZ = "America/Toronto"

FIRST = [
    "Amara",
    "Bastien",
    "Chiara",
    "Dov",
    "Eshe",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonah",
    "Kalani",
    "Lior",
    "Maren",
    "Nikhil",
    "Odile",
    "Priya",
    "Quinn",
    "Rafaela",
    "Soren",
    "Tamsin",
    "Umar",
    "Vesna",
    "Wren",
    "Xiomara",
    "Yusuf",
    "Zofia",
    "Anouk",
    "Bram",
    "Calla",
    "Darius",
]
LAST = [
    "Abernethy",
    "Brightwater",
    "Castellane",
    "Dunmore",
    "Eskerby",
    "Fairhollow",
    "Gallowmere",
    "Hartsfield",
    "Ivesdale",
    "Jorvane",
    "Kestrell",
    "Larkhaven",
    "Merriden",
    "Northcote",
    "Oakhurst",
    "Pellingham",
    "Quarrie",
    "Ravensworth",
    "Stillwell",
    "Thornbury",
    "Underhay",
    "Valcourt",
    "Westerly",
    "Yarrowby",
]
COMMUNITIES = ["Maple", "Birch", "Cedar", "Willow"]
# The well-being office: two administrators, because granting a confidential role takes two.
OFFICE = [(f"admin@{DOMAIN}", "Demo Administrator"), (f"office@{DOMAIN}", "Demo Office Reviewer")]
# The accounts printed after seeding; the README's "Demo sign-ins" table lists the same.
DEMO_LOGINS = [
    ("coordinator@", "program coordinator, MD Program and residency (admin at /admin/)"),
    ("residency.coordinator@", "coordinator of the residency only"),
    ("trainee@", "second-year medical student"),
    ("facilitator@", "trained facilitator, third-year student"),
    ("mentor@", "peer mentor, fourth-year student"),
    ("faculty@", "faculty mentor"),
    ("supporter@", "peer supporter"),
    ("lead@", "support lead"),
    ("advisor@", "wellness advisor"),
    ("admin@", "superuser: the well-being office, all programs"),
    ("office@", "second office administrator: approves the role grants admin@ proposes"),
]


class Command(BaseCommand):
    help = "Create the invented demo institution, programs and people (safe to run again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production", action="store_true", help="Seed although DJANGO_DEBUG is false (demo servers only)."
        )

    def handle(self, *args, allow_production: bool = False, **options) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo creates accounts with a published password and two-factor key; it runs "
                "only with DJANGO_DEBUG=true (or --allow-production on a demo server)."
            )
        with transaction.atomic():
            created = self._seed()
            for seeder in registry.demo_seeders:
                seeder(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new people)."))
        self._print_logins()

    def _seed(self) -> int:
        institution, _ = Institution.objects.get_or_create(
            name="Lakeshore University Faculty of Medicine",
            defaults={
                "time_zone": TZ,
                "allowed_email_domains": [DOMAIN],
                "crisis_resources": "If you are in danger now, call 911 or go to the nearest emergency department.\n"
                "Lakeshore Crisis Line, 24 hours: 555-0100\nTalk Suicide Canada, 24 hours: call or text 988",
                "clinical_resources": "Learner Wellness Centre (counselling, same-week visits): 555-0142\n"
                "Physician Health Program (confidential): 555-0199",
            },
        )
        md, _ = TrainingProgram.objects.get_or_create(
            institution=institution,
            name="MD Program",
            defaults={"kind": ProgramKind.MEDICAL_SCHOOL, "time_zone": TZ},
        )
        im, _ = TrainingProgram.objects.get_or_create(
            institution=institution,
            name="Internal Medicine Residency",
            defaults={"kind": ProgramKind.RESIDENCY, "time_zone": TZ},
        )
        communities = [LearningCommunity.objects.get_or_create(program=md, name=n)[0] for n in COMMUNITIES]
        people = self._people(md, im, communities)
        return self._create(people)

    def _people(self, md, im, communities) -> list[dict]:
        rng = random.Random(2026)
        names = [f"{f} {last}" for last in LAST for f in FIRST]
        rng.shuffle(names)
        it = iter(names)
        start = datetime.date(timezone.localdate().year - 1, 7, 1)
        p: list[dict] = []

        def add(email, role, program, **extra):
            p.append(
                {
                    "email": email,
                    "name": extra.pop("name", None) or next(it),
                    "role": role,
                    "program": program,
                    "starts_on": start,
                    **extra,
                }
            )

        add("coordinator@" + DOMAIN, Role.COORDINATOR, md, staff=True)
        p.append({**p[-1], "program": im})
        add("residency.coordinator@" + DOMAIN, Role.COORDINATOR, im, staff=True)
        add("trainee@" + DOMAIN, Role.TRAINEE, md, class_year=2, learning_community=communities[0])
        add("facilitator@" + DOMAIN, Role.FACILITATOR, md, training=TrainingKind.FACILITATOR)
        p.append({**p[-1], "role": Role.TRAINEE, "class_year": 3, "learning_community": communities[1]})
        add("mentor@" + DOMAIN, Role.PEER_MENTOR, md, training=TrainingKind.PEER_MENTOR)
        p.append({**p[-1], "role": Role.TRAINEE, "class_year": 4, "learning_community": communities[0]})
        add("faculty@" + DOMAIN, Role.FACULTY_MENTOR, md, learning_community=communities[0])
        add("supporter@" + DOMAIN, Role.PEER_SUPPORTER, im, training=TrainingKind.PEER_SUPPORTER)
        add("lead@" + DOMAIN, Role.SUPPORT_LEAD, im, training=TrainingKind.PEER_SUPPORTER)
        add("advisor@" + DOMAIN, Role.WELLNESS_ADVISOR, md)
        for year in range(1, 5):
            for i in range(120):
                add(
                    f"md{year}.{i:03d}@{DOMAIN}",
                    Role.TRAINEE,
                    md,
                    class_year=year,
                    is_md_phd=i < 3,
                    learning_community=communities[i % 4],
                )
        for i in range(60):
            add(f"resident.{i:02d}@{DOMAIN}", Role.TRAINEE, im, pgy=i % 3 + 1)
        for i in range(12):  # trained facilitators drawn from the classes and the residency
            src = f"md{2 + i % 3}.{100 + i:03d}@{DOMAIN}" if i < 8 else f"resident.{50 + i:02d}@{DOMAIN}"
            add(src, Role.FACILITATOR, md if i < 8 else im, name="", training=TrainingKind.FACILITATOR)
        for i in range(2):
            add(f"advisor{i + 2}@{DOMAIN}", Role.WELLNESS_ADVISOR, im if i else md)
        for i in range(10):
            add(f"faculty{i + 2:02d}@{DOMAIN}", Role.FACULTY_MENTOR, md, learning_community=communities[i % 4])
        for i in range(6):
            add(f"supporter{i + 2}@{DOMAIN}", Role.PEER_SUPPORTER, im, training=TrainingKind.PEER_SUPPORTER)
        return p

    def _create(self, people: list[dict]) -> int:
        password = make_password(DEMO_PASSWORD)
        existing = {u.email: u for u in User.objects.filter(email__in={x["email"] for x in people})}
        new = {}
        for person in people:
            email = person["email"]
            if email not in existing and email not in new:
                new[email] = User(
                    email=email,
                    name=person["name"],
                    time_zone=TZ,
                    password=password,
                    is_staff=person.get("staff", False),
                )
        User.objects.bulk_create(new.values())
        users = {u.email: u for u in User.objects.filter(email__in={x["email"] for x in people})}
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users.values()],
            ignore_conflicts=True,
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    user=users[x["email"]],
                    program=x["program"],
                    role=x["role"],
                    starts_on=x["starts_on"],
                    class_year=x.get("class_year"),
                    pgy=x.get("pgy"),
                    is_md_phd=x.get("is_md_phd", False),
                    learning_community=x.get("learning_community"),
                )
                for x in people
                if x["role"] not in CONFIDENTIAL_ROLES
            ],
            ignore_conflicts=True,
        )
        today = timezone.localdate()
        TrainingRecord.objects.bulk_create(
            [
                TrainingRecord(
                    user=users[x["email"]],
                    kind=x["training"],
                    completed_on=datetime.date(today.year - 1, 6, 15),
                    expires_on=datetime.date(today.year + 1, 6, 15),
                )
                for x in people
                if x.get("training")
            ],
            ignore_conflicts=True,
        )
        office = [self._office_administrator(email, name, password) for email, name in OFFICE]
        self._grant_confidential_roles(people, users, *office)
        self._seed_mfa(office + [u for u in users.values() if u.email in self._mfa_emails(people)])
        return len(new)

    def _office_administrator(self, email: str, name: str, password: str) -> User:
        admin = User.objects.filter(email=email).first()
        if admin is None:
            admin = User.objects.create(
                email=email, name=name, time_zone=TZ, password=password, is_staff=True, is_superuser=True
            )
            EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
        return admin

    def _grant_confidential_roles(self, people: list[dict], users: dict, proposer: User, approver: User) -> None:
        """Peer supporters and support leads get their role as anyone does: one office
        administrator proposes, the other approves (leads first, so that they are told of
        the supporters). A person who already has the role is left alone."""
        wanted = sorted(
            (x for x in people if x["role"] in CONFIDENTIAL_ROLES), key=lambda x: x["role"] != Role.SUPPORT_LEAD
        )
        for x in wanted:
            user = users[x["email"]]
            if Membership.objects.filter(user=user, program=x["program"], role=x["role"]).exists():
                continue
            grant = role_grant_propose(
                proposer=proposer,
                user=user,
                program=x["program"],
                role=x["role"],
                reason="Demo data: trained and appointed by the program.",
                starts_on=x["starts_on"],
            )
            role_grant_approve(grant=grant, approver=approver)

    def _mfa_emails(self, people: list[dict]) -> set[str]:
        return {x["email"] for x in people if x["role"] in (Role.COORDINATOR, Role.SUPPORT_LEAD, Role.PEER_SUPPORTER)}

    def _seed_mfa(self, users: list[User]) -> None:
        have = set(
            Authenticator.objects.filter(user__in=users, type=Authenticator.Type.TOTP).values_list("user_id", flat=True)
        )
        Authenticator.objects.bulk_create(
            [
                Authenticator(user=u, type=Authenticator.Type.TOTP, data={"secret": text_encrypt(DEMO_TOTP_SECRET)})
                for u in users
                if u.pk not in have
            ]
        )

    def _print_logins(self) -> None:
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, what in DEMO_LOGINS:
            self.stdout.write(f"  {email + DOMAIN:<46} {what}")
        self.stdout.write(
            f"Coordinators, supporters and the lead use two-factor authentication. Add this key to any "
            f"authenticator app, or print the current code with `python manage.py demo_totp`:\n  {DEMO_TOTP_SECRET}\n"
        )
