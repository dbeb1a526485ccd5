from kinsight.followup import views
from kinsight.ui.routes import patterns_of

app_name = "followup"
urlpatterns = patterns_of(views)
