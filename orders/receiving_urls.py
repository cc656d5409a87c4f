from django.urls import path

app_name = "receiving"

# Filled in by the proof-of-delivery pages; "confirm" takes the signed token (see receiving_links).
urlpatterns: list = [
    path("<str:token>/", lambda request, token: None, name="confirm"),
]
