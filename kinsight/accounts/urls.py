from kinsight.accounts import views
from kinsight.ui.routes import patterns_of

app_name = "accounts"
urlpatterns = patterns_of(views)
