from kinsight.core.commands import MunicipalityCommand, parse_month
from kinsight.followup.children_kept import keep_children
from kinsight.followup.october_rounds import recount_rounds
from kinsight.followup.services import minimum_level_rollup


class Command(MunicipalityCommand):
    help = (
        "Fill the minimum-level rollup (MinimumLevelMonth) for complete months. "
        "Idempotent: months in the range are rewritten. Run nightly, e.g. --from last month; "
        "and every few minutes with --running, which keeps the running month up to today "
        "and the children-as-next-of-kin counts. "
        "Without --running it also counts the kept October survey rounds again "
        "(and keeps the default ones)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--from", dest="since", type=parse_month, help="first month, YYYY-MM")
        parser.add_argument("--to", dest="until", type=parse_month, help="last month, YYYY-MM")
        parser.add_argument(
            "--running",
            action="store_true",
            help="also the running month up to today (alone, once earlier months are kept)",
        )

    def handle(self, *args, since=None, until=None, municipality=None, running=False, **options):
        target = self.municipalities(municipality).first() if municipality else None
        rows = minimum_level_rollup(municipality=target, since=since, until=until, running=running)
        if options["verbosity"]:
            self.stdout.write(f"miniminivå: {rows} rader")
        if running:
            kept = keep_children(municipality=target)
            if options["verbosity"]:
                self.stdout.write(f"barn som anhöriga: {kept} rader")
        else:
            rounds = recount_rounds(municipality=target)
            if options["verbosity"]:
                self.stdout.write(f"oktoberkartläggning: {rounds} omgångar")
