from kinsight.family import views
from kinsight.ui.routes import patterns_of

app_name = "family"
urlpatterns = patterns_of(views)
