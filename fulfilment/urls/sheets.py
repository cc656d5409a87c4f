from django.urls import path

from ..views import sheets as sheet_views

app_name = "sheets"

urlpatterns = [
    path("delivery/<int:pk>.pdf", sheet_views.DeliverySheetView.as_view(), name="delivery-sheet"),
    path("pickups/", sheet_views.PickupSheetView.as_view(), name="pickup-sheet"),
    path("batches/", sheet_views.SheetBatchListView.as_view(), name="batch-list"),
    path("batches/new/", sheet_views.SheetBatchCreateView.as_view(), name="batch-create"),
    path("batches/<int:pk>/", sheet_views.SheetBatchDetailView.as_view(), name="batch-detail"),
    path("batches/<int:pk>/download/", sheet_views.SheetBatchDownloadView.as_view(), name="batch-download"),
]
