from kinsight.cases import views
from kinsight.ui.routes import patterns_of

app_name = "cases"
urlpatterns = patterns_of(views)
