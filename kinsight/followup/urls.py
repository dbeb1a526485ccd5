from kinsight.followup import views, views_figures, views_october
from kinsight.followup.annual import views as annual_views
from kinsight.ui.routes import patterns_of

app_name = "followup"
urlpatterns = (
    patterns_of(views)
    + patterns_of(views_october)
    + patterns_of(views_figures)
    + patterns_of(annual_views)
)
