from kinsight.retention import views
from kinsight.ui.routes import patterns_of

app_name = "retention"
urlpatterns = patterns_of(views)
