from kinsight.dpo import views
from kinsight.ui.routes import patterns_of

app_name = "dpo"
urlpatterns = patterns_of(views)
