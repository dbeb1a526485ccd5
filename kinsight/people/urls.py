from kinsight.people import views
from kinsight.people.emergency import views as emergency_views
from kinsight.ui.routes import patterns_of

app_name = "people"
urlpatterns = patterns_of(views) + patterns_of(emergency_views)
