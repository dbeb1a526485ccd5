from kinsight.people import views
from kinsight.people.emergency import views as emergency_views
from kinsight.people.register import views as register_views
from kinsight.ui.routes import patterns_of

app_name = "people"
urlpatterns = patterns_of(views) + patterns_of(emergency_views) + patterns_of(register_views)
