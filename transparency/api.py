"""The read-only open-data API, version 1 (django-ninja: the schemas below are the validation, the responses and
the OpenAPI document at ``/api/v1/openapi.json`` at once).

Public: need by province and product, as JSON (paginated) or as CSV with an HXL hashtag row (the humanitarian
data exchange convention, so the file drops into HDX tools). Every caller is rate limited per address; a bad
parameter gets 400 with what was wrong, never a page of HTML. The rate is ``HAMDELI_OPEN_DATA_RATE``. With a
coordinator's token, her provinces' orders, quotas and deliveries: ``transparency.api_province`` (under
``/province``, limited per token).
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, fields

from django.conf import settings
from django.http import HttpResponse
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.throttling import AnonRateThrottle
from pydantic import Field, create_model

from core.models import Product, Province

from .api_common import ApiError, one_page, page_number
from .api_province import router as province_router
from .selectors import NeedRow, need_by_area

api = NinjaAPI(
    title="Hamdeli open data",
    version="1",
    description=(
        "Need for medical gowns and masks by province and product, from Hamdeli; with a coordinator's token, "
        "her provinces' orders, quotas and deliveries. The public figures are refreshed every five minutes."
    ),
    urls_namespace="open-data-v1",
    docs_url=None,  # the interactive docs load scripts from a CDN, which the site's CSP forbids
    throttle=[AnonRateThrottle(settings.HAMDELI_OPEN_DATA_RATE)],
)
# With a coordinator's token: her provinces' orders, quotas and deliveries (limited per token, not per address).
api.add_router("/province", province_router)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return api.create_response(request, {"detail": exc.message}, status=400)


@api.exception_handler(NinjaValidationError)
def _bad_parameters(request, exc: NinjaValidationError):
    problems = [
        f"{'.'.join(str(part) for part in error.get('loc', ())[1:]) or 'request'}: {error.get('msg', 'invalid')}"
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": "Bad parameters.", "problems": problems}, status=400)


class NeedFilter(Schema):
    province: str | None = Field(None, max_length=40, description="Province code, e.g. tehran (see /provinces)")
    product: str | None = Field(None, max_length=40, description="Product code (see /products)")


# The API's row is the selector's row plus its unmet units: one list of fields, the contract of /need.
NeedOut = create_model(
    "NeedOut",
    __base__=Schema,
    **{field.name: (field.type, ...) for field in fields(NeedRow)},
    units_unmet=(int, ...),
)


class NeedPage(Schema):
    count: int
    page: int
    pages: int
    results: list[NeedOut]


class Area(Schema):
    code: str
    name: str
    name_en: str


def _checked(filters: NeedFilter) -> list[NeedRow]:
    if filters.province and not Province.objects.filter(code=filters.province).exists():
        raise ApiError(f"Unknown province code {filters.province!r}; the codes are listed at /api/v1/provinces.")
    if filters.product and not Product.objects.filter(code=filters.product).exists():
        raise ApiError(f"Unknown product code {filters.product!r}; the codes are listed at /api/v1/products.")
    return need_by_area(filters.province, filters.product)


@api.get("/need", response=NeedPage, summary="Unmet need of open orders by province and product")
def need(request, filters: Query[NeedFilter], page: str = Query("1", max_length=20, description="1, 2, ...")):
    return one_page(_checked(filters), page_number(page), _out)


HXL = {
    "province_code": "#adm1+code",
    "province": "#adm1+name+i_fa",
    "province_en": "#adm1+name+i_en",
    "product_code": "#item+code",
    "product": "#item+name+i_fa",
    "product_en": "#item+name+i_en",
    "open_orders": "#indicator+orders+num",
    "units_needed": "#indicator+needed+num",
    "units_funded": "#indicator+funded+num",
    "units_delivered": "#indicator+delivered+num",
    "units_unmet": "#indicator+unmet+num",
}


@api.get("/need.csv", summary="The same as CSV with an HXL hashtag row", response={200: None})
def need_csv(request, filters: Query[NeedFilter]):
    rows = _checked(filters)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HXL)
    writer.writerow(HXL.values())
    for row in rows:
        out = _out(row)
        writer.writerow(out[column] for column in HXL)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hamdeli-need.csv"'
    return response


@api.get("/provinces", response=list[Area], summary="Province codes")
def provinces(request):
    return [{"code": p.code, "name": p.name_fa, "name_en": p.name_en} for p in Province.objects.order_by("code")]


@api.get("/products", response=list[Area], summary="Product codes")
def products(request):
    return [{"code": p.code, "name": p.name_fa, "name_en": p.name_en} for p in Product.objects.order_by("code")]


def _out(row: NeedRow) -> dict:
    return {**asdict(row), "units_unmet": row.units_unmet}
