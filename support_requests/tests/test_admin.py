"""The support admin counts nothing and shows nothing a supporter kept to themselves;
its reads are logged. (Requests are not in the admin at all: see test_access.py.)"""

import pytest
from django.urls import reverse

from peers.models import AccessLog
from support_requests.models import SupporterProfile

pytestmark = pytest.mark.django_db


def test_the_supporter_admin_shows_no_facet_counts_nor_hidden_identities_and_logs_reads(
    client, coordinator, make_supporter
):
    for n in range(3):
        make_supporter(f"s{n}@example.edu", disclosed_identities=["Rural upbringing"])
    client.force_login(coordinator)
    listing = client.get(reverse("admin:support_requests_supporterprofile_changelist") + "?_facets=True")
    page = listing.content.decode()
    assert listing.status_code == 200 and "s0@example.edu" in page
    assert "(3)" not in page and "Rural upbringing" not in page
    profile = SupporterProfile.objects.first()
    change = client.get(reverse("admin:support_requests_supporterprofile_change", args=[profile.pk]))
    assert "Rural upbringing" not in change.content.decode()
    reads = AccessLog.objects.using("audit").filter(object_type="support_requests.supporterprofile")
    assert set(reads.values_list("action", flat=True)) == {"admin_list", "admin_view"}
