from django.urls import path
from django.views.decorators.http import require_safe

from . import feeds, views

app_name = "practices"

urlpatterns = [
    path("", views.PracticeListView.as_view(), name="index"),
    path("feed/rss/", require_safe(feeds.LatestPracticesFeed()), name="feed-rss"),
    path("feed/atom/", require_safe(feeds.LatestPracticesAtomFeed()), name="feed-atom"),
    path("categoria/<slug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path("institucion/<slug:slug>/", views.InstitutionDetailView.as_view(), name="institution"),
    path("<slug:slug>/", views.PracticeDetailView.as_view(), name="detail"),
]
