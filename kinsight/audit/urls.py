from kinsight.audit import views
from kinsight.ui.routes import patterns_of

app_name = "audit"
urlpatterns = patterns_of(views)
