"""Swedish that reads right: no Django "---------", no doubled SFS number, no "Egen
enhet: Egen enhet", no internal words, agreement with a child's name; lists that keep
numbers and dates whole and scroll on a phone."""

import re
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template

from kinsight.cases.models import LegalReference
from kinsight.core.models import OrgUnit
from kinsight.detection.models import ReportStatus
from kinsight.interventions import services as intervention_services
from kinsight.interventions.models import Intervention
from tests.followup import factories as ff

ROOT = Path(__file__).resolve().parents[2] / "kinsight"


class ChoiceForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.all(), required=False)
    kind = forms.TypedChoiceField(choices=[("", "---------"), ("a", "A")], required=False)


@pytest.mark.django_db
def test_no_select_offers_djangos_dashes_as_the_empty_choice(org):
    html = str(ChoiceForm())
    assert "---------" not in html
    assert html.count('<option value="" selected>Välj …</option>') == 2


@pytest.mark.django_db
def test_the_case_form_offers_valj_as_the_empty_choice(
    client, login, worker, client_person, open_case
):
    login(worker)
    html = client.get(f"/personer/{client_person.pk}/arenden/nytt/").content.decode()
    assert "<select" in html and "---------" not in html and "Välj …" in html


@pytest.mark.django_db
def test_a_legal_reference_names_the_sfs_number_once():
    new = LegalReference.objects.get(topic="pre-assessment-14-days", law="SFS 2025:400")
    assert str(new) == "20 kap. 2 § Socialtjänstlagen (2025:400)"
    other = LegalReference(reference="1 §", law_name="Förvaltningslagen", law="SFS 2017:900")
    assert str(other) == "1 § Förvaltningslagen (SFS 2017:900)"


@pytest.mark.django_db
def test_the_catalogue_names_an_own_unit_provider_once(client, login, worker, municipality):
    intervention_services.examples_add(actor=None, municipality=municipality)
    own = Intervention.objects.filter(municipality=municipality, provider_kind="own_unit")
    assert own.filter(provider_unit__isnull=True).exists()
    login(worker)
    html = client.get("/insatser/").content.decode()
    assert "Egen enhet" in html and "Egen enhet: Egen enhet" not in html


@pytest.mark.django_db
def test_the_protective_factor_catalogue_shows_no_internal_words(client, login, administrator):
    login(administrator)
    html = client.get("/skyddsfaktorer/").content.decode()
    assert "Kunskapsguiden" in html and "seed" not in html.lower()


INTERNAL = re.compile(r"\bseed \d|\bTODO\b|\bFIXME\b|\bstub\b|\blorem\b", re.IGNORECASE)


def test_no_template_shows_internal_words():
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in ROOT.glob("*/templates/**/*.html")
        for line in path.read_text().splitlines()
        if INTERNAL.search(line)
    ]
    assert found == []


def test_a_name_is_registrerad_not_registrerat():
    """A child's name takes "registrerad" (common gender), not "registrerat"."""
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for pattern in ("*/*.py", "*/templates/**/*.html")
        for path in ROOT.glob(pattern)
        for line in path.read_text().splitlines()
        if re.search(r"(%\(name\)s|\{\{ name \}\}) är (redan )?registrerat\b", line)
        or "(registrerat %(day)s)" in line
    ]
    assert found == []


@pytest.mark.django_db
def test_received_reports_list_open_ones_first(client, login, child_worker, child_unit):
    closed = ff.report(child_unit, "Avslutad Först", status=ReportStatus.CLOSED, due_in=-40)
    later = ff.report(child_unit, "Senare Frist", due_in=10)
    sooner = ff.report(
        child_unit, "Utredning Snart", status=ReportStatus.INVESTIGATING, investigation_due_in=3
    )
    login(child_worker)
    html = client.get("/orosanmalningar/").content.decode()
    order = [html.index(f"/orosanmalningar/{r.pk}/") for r in (sooner, later, closed)]
    assert order == sorted(order)


@pytest.mark.django_db
def test_list_tables_scroll_in_a_named_focusable_region_with_whole_dates(
    client, login, child_worker, child_unit
):
    ff.report(child_unit, "Lo Barnsson", due_in=3)
    login(child_worker)
    html = client.get("/orosanmalningar/").content.decode()
    region = re.search(r'<div class="table-scroll"([^>]*)>\s*<table', html)
    assert region and 'tabindex="0"' in region.group(1) and 'role="region"' in region.group(1)
    assert 'aria-label="Tabell: Mottagna orosanmälningar"' in region.group(1)
    assert '<td class="date"><a href="/orosanmalningar/' in html
    css = (ROOT / "ui/static/ui/kinsight.css").read_text()
    assert re.search(r"td\.date[^{]*\{ white-space: nowrap; \}", css)
    assert re.search(r"td\.num[^{]*\{ white-space: nowrap; \}", css)


def test_the_scrolltable_tag_names_the_region_by_label_or_caption():
    template = Template(
        "{% load ui_tags %}{% scrolltable label %}<table><caption>A &amp; B</caption>"
        "</table>{% endscrolltable %}|{% scrolltable %}<table><caption>Per <b>enhet</b>"
        "</caption></table>{% endscrolltable %}|{% scrolltable %}<table></table>"
        "{% endscrolltable %}"
    )
    first, second, third = template.render(Context({"label": "Roller"})).split("|")
    assert first.startswith(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Tabell: Roller">'
    )
    assert 'aria-label="Tabell: Per enhet"' in second
    assert 'aria-label="Tabell"' in third


def test_every_data_table_is_in_a_scroll_region():
    bare = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/templates/**/*.html")
        if path.read_text().count("<table") != path.read_text().count("{% scrolltable")
    ]
    assert bare == []
