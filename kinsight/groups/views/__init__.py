"""Support-group pages, one module per sub-domain: the leader's cycles (sessions,
attendance, participants, measurements), the public answer page for a one-time code,
the catalogue (providers, programmes, leaders) and the reports (effect, reach). Each
view carries its routes (``kinsight.ui.routes``)."""
