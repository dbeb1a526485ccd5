from kinsight.network import views
from kinsight.ui.routes import patterns_of

app_name = "network"
urlpatterns = patterns_of(views)
