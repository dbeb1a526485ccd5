"""The demo's network: four meetings this year, the first held (attendance, minutes, a
PDF, a question answered), an inventory with answers and a training offer; the network
leader's and a member's pages show them, and a member's download is audited."""

from django.urls import reverse

from kinsight.audit.models import AuditEntry
from kinsight.core.models import User
from kinsight.demo.generate import generate_all
from kinsight.demo.generate.network import generate_network
from kinsight.demo.generate.regions import generate_region
from kinsight.network.models import Answer, Course, Enrolment, Meeting, MeetingFile, Question


def test_the_demo_network(db, settings, login):
    settings.KINSIGHT_TASK_BACKEND = "immediate"
    generate_all(name="Demokommun", code="9999", persons=20, seed=1)
    generate_all(name="Grannkommun", code="9998", persons=10, seed=2, staff_per_unit=1)
    generate_network(generate_region())
    assert Meeting.objects.count() == 4 and Course.objects.count() == 3
    assert Answer.objects.count() == 4 and Question.objects.get().answered_at
    assert Enrolment.objects.filter(course__title="MI-fördjupning").count() >= 10
    held = Meeting.objects.exclude(minutes="").get()
    client = login(User.objects.get(username="natverksledare"))
    page = client.get(reverse("network:meeting", args=[held.pk])).content.decode()
    assert "miniminivan.pdf" in page and "Antecknade av Nils Nätverksledare." in page
    start = client.get("/region/").content.decode()
    assert "Kurser under minimum" in start and "Skälig levnadsnivå</a>: 2 anmälda" in start
    client = login(User.objects.get(username="ifochef"))
    shared = MeetingFile.objects.get()
    assert client.get(reverse("network:file", args=[shared.pk])).status_code == 200
    assert AuditEntry.objects.filter(object_type="network.meetingfile", action="export").exists()
