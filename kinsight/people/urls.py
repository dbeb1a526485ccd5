from kinsight.people import views
from kinsight.ui.routes import patterns_of

app_name = "people"
urlpatterns = patterns_of(views)
