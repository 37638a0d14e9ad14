from .urls_ballots import urlpatterns as ballot_urlpatterns
from .urls_nominations import urlpatterns as nomination_urlpatterns

app_name = "awards"

urlpatterns = nomination_urlpatterns + ballot_urlpatterns
