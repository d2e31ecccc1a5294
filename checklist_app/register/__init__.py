"""The register: session marks imported from the school's MIS, the figures computed from them,
the pupils at risk, and charts. Casework reads figures through :mod:`checklist_app.register.figures`."""
