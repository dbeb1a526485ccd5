from django.core.management import call_command
from django.core.management.base import BaseCommand

from kinsight.core.models import Municipality
from kinsight.demo.generate.log_review import generate_log_review
from kinsight.demo.generate.network import generate_network
from kinsight.demo.generate.organisation import DEMO_PASSWORD, DEMO_USERS
from kinsight.demo.generate.regions import generate_region
from kinsight.demo.generate.retention import generate_retention


class Command(BaseCommand):
    help = "Migrate and, on an empty database, create the demo municipalities."

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        if not Municipality.objects.exists():
            call_command("generate", name="Demokommun", code="9999", seed=1)
            # A second municipality, so that tenant separation can be seen in the demo.
            call_command("generate", name="Grannkommun", code="9998", seed=2, staff_per_unit=1)
            # The minimum-level figures for past months come from a maintained rollup.
            call_command("rollup_minimum_level", verbosity=0)
            call_command("rollup_minimum_level", running=True, verbosity=0)
            region = generate_region()  # the regional network over both, and a third member
            generate_network(region)  # its meetings, the inventory and the training offer
            generate_retention(Municipality.objects.get(code="9999"))  # old files to cull
            generate_log_review(Municipality.objects.get(code="9999"))  # hits and reviews
        self.stdout.write(f"Demoanvändare (lösenord: {DEMO_PASSWORD}):")
        for username, _first, _last, role, _unit in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role.label}")
