from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/", views.dossier_list, name="api_dossiers"),
    path("dossiers/<str:reference>/", views.dossier_detail, name="api_dossier"),
]
