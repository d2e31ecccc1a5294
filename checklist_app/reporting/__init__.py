"""Reports: Jinja templates in ``reports/`` rendered to PDF, reading nothing but our own assets."""
