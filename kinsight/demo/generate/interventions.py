"""Demo data for the interventions app: the catalogue's examples for a generated
municipality (migrations seed only the municipalities that existed when they ran).
To be called from the ``generate`` command after generate_detection."""

from kinsight.interventions import services


def generate_interventions(*, municipality, seed=1):
    made = services.examples_add(actor=None, municipality=municipality)
    return {"interventions": len(made)}
