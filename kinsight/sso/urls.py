from kinsight.sso import views
from kinsight.ui.routes import patterns_of

app_name = "sso"
urlpatterns = patterns_of(views)
