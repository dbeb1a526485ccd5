"""Pages for the interventions catalogue, the family plan, referrals and placements,
one module per sub-domain. Thin: parse, call a query or service, render. Invisible is
404; visible but not changeable is 403."""
