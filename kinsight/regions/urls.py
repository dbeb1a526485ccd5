from kinsight.regions import views, views_publish
from kinsight.ui.routes import patterns_of

app_name = "regions"
urlpatterns = patterns_of(views) + patterns_of(views_publish)
