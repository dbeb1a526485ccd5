"""Retention (gallring): rules as data, proposals of what is due, two approvals, culling
in batches, and the culling record that remains."""
