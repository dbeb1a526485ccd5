"""The annual report (årsrapport): for a year and a scope (a unit, a district, the
municipality), one PDF a board can read and one Excel workbook, built from the figure
registry (kinsight.followup.figures) in the background (django-tasks), kept, and
downloaded again as audited exports.

- models: AnnualReport (a run: status, progress, the files as bytes) and
  AnnualReportText (the head of services' text per year, scope and section);
- sections: the report's content, one section per registered definition, published;
- pdf, excel, charts: the two files;
- services, tasks, queries, forms, views: the usual layers.
"""
