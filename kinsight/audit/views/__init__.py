"""The log reviewer's pages: the log and the log of one person (log), patterns worth a
look, the monthly sample and the reviews (review)."""
