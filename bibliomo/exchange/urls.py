from django.urls import path

from bibliomo.exchange.views import orders, plans, shipments

app_name = "exchange"

urlpatterns = [
    path("", plans.index, name="index"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/solve/", plans.plan_solve, name="plan_solve"),
    path("plans/<int:pk>/publish/", plans.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/line/", plans.plan_line, name="plan_line"),
    path("plans/<int:pk>/pool/", plans.pool, name="pool"),
    path("plans/<int:pk>/pool/add/", plans.pool_add, name="pool_add"),
    path("plans/<int:pk>/pool/reserve/", plans.reserve, name="reserve"),
    path("pool/<int:pk>/", plans.pool_line, name="pool_line"),
    path("shipments/<int:pk>/", shipments.shipment_detail, name="shipment"),
    path("shipments/<int:pk>/<slug:step>/", shipments.shipment_step, name="shipment_step"),
    path("shipments/<int:pk>/act.docx", shipments.act, {"extension": "docx"}, name="act_docx"),
    path("shipments/<int:pk>/act.pdf", shipments.act, {"extension": "pdf"}, name="act_pdf"),
    path("returns/", shipments.returns, name="returns"),
    path("returns/remind/", shipments.returns_remind, name="returns_remind"),
    path("orders/new/", orders.order_create, name="order_create"),
    path("orders/algorithm/", orders.algorithm, name="algorithm"),
    path("orders/<int:pk>/", orders.order_detail, name="order"),
    path("orders/<int:pk>/compute/", orders.order_compute, name="order_compute"),
    path("orders/<int:pk>/consolidate/", orders.order_consolidate, name="order_consolidate"),
    path("orders/<int:pk>/order.xlsx", orders.order_xlsx, name="order_xlsx"),
    path("school-orders/<int:pk>/", orders.school_order, name="school_order"),
    path("school-orders/<int:pk>/intake/", orders.intake, name="intake"),
    path("school-orders/<int:pk>/submit/", orders.submit, name="submit"),
    path("school-orders/<int:pk>/lines/", orders.lines_save, name="lines_save"),
    path("school-orders/<int:pk>/decide/", orders.decide, name="decide"),
    path(
        "school-orders/<int:pk>/order.xlsx",
        orders.school_order_file,
        {"extension": "xlsx"},
        name="school_order_xlsx",
    ),
    path(
        "school-orders/<int:pk>/order.docx",
        orders.school_order_file,
        {"extension": "docx"},
        name="school_order_docx",
    ),
    path("order-lines/<int:pk>/", orders.line_set, name="line_set"),
    path("order-lines/<int:pk>/entry/", orders.line_entry, name="line_entry"),
]
