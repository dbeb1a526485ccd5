"""The access probe (tests/regions/test_access_probe.py) over the network's own data:
with the demo's meetings, files, inventory, courses and enrolments generated, every
network URL and API endpoint (ids filled from the data) is fetched as the network
leader, a member's head of services and a member's case worker; no generated person's
name or personnummer appears in any response, and nothing answers 500."""

from kinsight.core.models import Municipality, User
from kinsight.demo.generate import generate_all
from kinsight.demo.generate.network import generate_network
from kinsight.demo.generate.regions import generate_region
from tests.regions.test_access_probe import leaks, secrets, urls


def is_network(name):
    return name.startswith("network:") or name.startswith("network-")


def test_no_personal_row_reaches_the_networks_pages(db, settings, client, login):
    settings.KINSIGHT_TASK_BACKEND = "immediate"
    generate_all(name="Demokommun", code="9999", persons=60, seed=1)
    generate_all(name="Grannkommun", code="9998", persons=30, seed=2, staff_per_unit=1)
    generate_network(generate_region())
    demo = list(Municipality.objects.order_by("-code"))
    everyone = secrets(demo)
    assert len(everyone) > 100
    for username in ("natverksledare", "ifochef", "handlaggare"):
        login(User.objects.get(username=username))
        found, fetched = leaks(client, urls(demo, only=is_network), everyone)
        assert fetched > 20 and found == [], username
