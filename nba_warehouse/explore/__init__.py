"""Reading the prod views: short-lived read-only connections, the questions, charts and the HTML report."""
