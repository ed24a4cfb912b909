import json
import logging

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from .models import Order

log = logging.getLogger("orders")


@require_safe
def index(request):
    # Reads the database on every hit, so a broken database shows on the page (as a 500).
    count = Order.objects.count()
    latest = list(Order.objects.all()[:5])
    rows = "".join(
        f"<li>#{o.id} {escape(o.item)} x{o.quantity} at {o.created_at:%Y-%m-%d %H:%M:%S}</li>"
        for o in latest
    )
    body = (
        "<!doctype html><html><head><title>faultline demo shop</title></head><body>"
        f"<h1>faultline demo shop</h1><p>{count} orders.</p>"
        f"<h2>Latest</h2><ul>{rows or '<li>none yet</li>'}</ul></body></html>"
    )
    return HttpResponse(body)


@require_safe
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as e:  # any failure means "not healthy", with the reason
        log.warning("health check failed: %s: %s", type(e).__name__, e)
        return HttpResponse(
            f"unavailable: {type(e).__name__}: {e}".strip(),
            status=503,
            content_type="text/plain",
        )
    return HttpResponse("ok", content_type="text/plain")


def _parse_order(request):
    """Returns (fields, error). Accepts a JSON object or a form body; every field optional."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError) as e:
            return None, f"body is not valid JSON: {e}"
        if not isinstance(data, dict):
            return None, "JSON body must be an object, e.g. {\"item\": \"x\"}"
    else:
        data = request.POST
    item = str(data.get("item", "item"))
    if not 1 <= len(item) <= 200:
        return None, f"item must be 1 to 200 characters, got {len(item)}"
    try:
        quantity = int(data.get("quantity", 1))
    except (TypeError, ValueError):
        return None, f"quantity must be a whole number, got {data.get('quantity')!r}"
    if quantity < 1:
        return None, f"quantity must be >= 1, got {quantity}"
    return {"item": item, "quantity": quantity}, None


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def orders(request):
    if request.method == "GET":
        latest = Order.objects.values_list("id", flat=True).first()
        return JsonResponse({"count": Order.objects.count(), "latest_id": latest})

    fields, error = _parse_order(request)
    if error:
        return JsonResponse({"error": error}, status=400)
    with transaction.atomic():
        order = Order.objects.create(**fields)
        if settings.ORDERS_LOSSY and order.id % settings.ORDERS_LOSSY_EVERY == 0:
            # Deliberate bug for the lost-writes check: acknowledge, then roll back.
            transaction.set_rollback(True)
    return JsonResponse({"id": order.id}, status=201)


@require_safe
def order_detail(request, order_id):
    order = Order.objects.filter(id=order_id).first()
    if order is None:
        return JsonResponse({"error": f"order {order_id} not found"}, status=404)
    return JsonResponse(order.as_dict())
