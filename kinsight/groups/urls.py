from kinsight.groups import views
from kinsight.ui.routes import patterns_of

app_name = "groups"
urlpatterns = patterns_of(views)
