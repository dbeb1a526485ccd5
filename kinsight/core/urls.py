from kinsight.core import views
from kinsight.ui.routes import patterns_of

app_name = "core"
urlpatterns = patterns_of(views)
