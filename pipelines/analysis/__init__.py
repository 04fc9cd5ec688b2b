"""Analysis: the sums behind the reports (assessment, benchmark views, history, women, DDR, claims)."""
