"""The read side of the SCO Engagements Explorer: data access, filters, queries, figures and exports.

Nothing in this package imports streamlit; the pages call it and draw what it returns.
"""
