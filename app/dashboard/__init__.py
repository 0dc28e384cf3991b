"""The shop owner's console at `/dashboard`: the figures of app/figures.py for a period and
channel, beside the period before, as cards, weekly charts, tables with CSV export, and
drill-down lists of the conversations and orders behind each figure."""
