"""Early detection pages, one module per sub-domain: the child question, children as
next of kin (records, expected children, flags) and concern reports. Thin: parse, call
a query or service, render."""
