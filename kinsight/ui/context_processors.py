from django.conf import settings


def kinsight(request):
    return {"DEMO": settings.DEMO}
