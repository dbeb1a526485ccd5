from kinsight.interventions import views
from kinsight.ui.routes import patterns_of

app_name = "interventions"
urlpatterns = patterns_of(views)
