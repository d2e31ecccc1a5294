"""Browser journeys: Playwright drives Debian's Chromium against the real app (marker ``browser``)."""
