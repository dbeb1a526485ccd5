from kinsight.accounts import confirm_views, views
from kinsight.ui.routes import patterns_of

app_name = "accounts"
urlpatterns = patterns_of(views) + patterns_of(confirm_views)
