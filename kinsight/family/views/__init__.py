"""Family work pages, one module per sub-domain: the family work itself, consents,
meetings and their minutes, follow-up tasks. Each view carries its routes
(``kinsight.ui.routes``)."""
