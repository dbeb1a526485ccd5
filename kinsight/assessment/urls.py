from kinsight.assessment import views
from kinsight.ui.routes import patterns_of

app_name = "assessment"
urlpatterns = patterns_of(views)
