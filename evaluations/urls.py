from .urls_criteria import urlpatterns as criteria_urlpatterns
from .urls_reports import urlpatterns as report_urlpatterns
from .urls_scoring import urlpatterns as scoring_urlpatterns

app_name = "evaluations"

urlpatterns = criteria_urlpatterns + report_urlpatterns + scoring_urlpatterns
