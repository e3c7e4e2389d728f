from django.urls import path

from kehu.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="customer_list"),
    path("new/", views.customer_create, name="customer_create"),
    path("duplicates/", views.duplicate_check, name="duplicate_check"),
    path("export/", views.customer_export, name="customer_export"),
    path("<int:pk>/", views.customer_detail, name="customer_detail"),
    path("<int:pk>/edit/", views.customer_edit, name="customer_edit"),
    path("<int:pk>/deactivate/", views.customer_deactivate, name="customer_deactivate"),
    path("<int:pk>/restore/", views.customer_restore, name="customer_restore"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/contacts/<int:contact_pk>/delete/", views.contact_delete, name="contact_delete"),
    # Archive cards, the sales record book and the 360° timeline (views/card.py).
    path("<int:pk>/cards/", views.card_section, name="card_section"),
    path("<int:pk>/cards/new/<slug:kind>/", views.card_create, name="card_create"),
    path("<int:pk>/cards/<int:card_pk>/edit/", views.card_edit, name="card_edit"),
    path("<int:pk>/cards/<int:card_pk>/delete/", views.card_delete, name="card_delete"),
    path("<int:pk>/sales/", views.sales_section, name="sales_section"),
    path("<int:pk>/sales/new/", views.sales_record_create, name="sales_record_create"),
    path("<int:pk>/sales/<int:record_pk>/edit/", views.sales_record_edit, name="sales_record_edit"),
    path("<int:pk>/sales/<int:record_pk>/delete/", views.sales_record_delete, name="sales_record_delete"),
    path("<int:pk>/timeline/", views.customer_timeline, name="customer_timeline"),
    # distribution network (C4) and handover (C9)
    path("<int:pk>/network/", views.network_tree, name="network_tree"),
    path("<int:pk>/network/parent/", views.network_parent, name="network_parent"),
    path("<int:pk>/network/parent/search/", views.network_parent_search, name="network_parent_search"),
    path("<int:pk>/network/parent/clear/", views.network_parent_clear, name="network_parent_clear"),
    path("handovers/", views.handover_list, name="handover_list"),
    path("handovers/new/", views.handover_create, name="handover_create"),
    path("handovers/<int:handover_pk>/", views.handover_detail, name="handover_detail"),
    # 公海 pool
    path("pool/", views.pool_list, name="pool_list"),
    path("pool/rules/", views.pool_rules, name="pool_rules"),
    path("pool/<int:pk>/claim/", views.pool_claim, name="pool_claim"),
    path("<int:pk>/release/", views.pool_release, name="pool_release"),
    # classification (C5)
    path("abc/", views.abc_table, name="abc_table"),
    path("abc/recompute/", views.abc_recompute, name="abc_recompute"),
    path("level-rules/", views.level_rules, name="level_rules"),
    path("level-rules/<int:rule_pk>/", views.level_rule_edit, name="level_rule_edit"),
    path("level-rules/<int:rule_pk>/delete/", views.level_rule_delete, name="level_rule_delete"),
    path("assessments/due/", views.assessments_due, name="assessments_due"),
    path("<int:pk>/level/", views.classification_level, name="classification_level"),
    path("<int:pk>/spend-estimate/", views.classification_estimate, name="classification_estimate"),
    path("<int:pk>/assessments/", views.assessment_create, name="assessment_create"),
    # merge, search, unmask
    path("<int:pk>/merge/", views.merge_customer, name="merge_customer"),
    path("<int:pk>/unmask/<str:field>/", views.unmask_field, name="unmask_field"),
    path("saved-filters/", views.search_saved_filter_save, name="search_saved_filter_save"),
    path("saved-filters/<int:filter_pk>/delete/", views.search_saved_filter_delete, name="search_saved_filter_delete"),
]
