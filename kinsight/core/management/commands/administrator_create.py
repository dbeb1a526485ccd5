"""Create a municipality's first administrator. The password is asked for (twice)
or read from a file, never taken from the command line (it would stay in the shell's
history and the process list)."""

import getpass
from pathlib import Path

from django.core.management.base import CommandError

from kinsight.core.commands import MunicipalityCommand
from kinsight.core.setup import SetupError, administrator_create


class Command(MunicipalityCommand):
    help = (
        "Create an administrator. The password is prompted for, or read from "
        "--password-file (its first line)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="municipality code")
        parser.add_argument("--username", required=True)
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--unit", default="", help="unit holding the role (default: the top)")
        parser.add_argument("--password-file", help="a file whose first line is the password")

    def password(self, path: str | None) -> str:
        if path:
            try:
                lines = Path(path).read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from error
            return lines[0] if lines else ""
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the passwords differ; nothing created")
        return first

    def handle(self, *args, **options):
        target = self.municipalities(options["municipality"]).get()
        try:
            user = administrator_create(
                target,
                username=options["username"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
                password=self.password(options["password_file"]),
                unit_name=options["unit"],
            )
        except SetupError as error:
            raise CommandError(f"{error}; nothing created") from error
        self.stdout.write(f"created administrator {user.username} in {target.code} {target.name}")
