from django.urls import path

from orders import views

urlpatterns = [
    path("", views.index),
    path("health/", views.health),
    path("api/orders/", views.orders),
    path("api/orders/<int:order_id>/", views.order_detail),
]
