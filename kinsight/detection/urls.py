from kinsight.detection import views
from kinsight.ui.routes import patterns_of

app_name = "detection"
urlpatterns = patterns_of(views)
