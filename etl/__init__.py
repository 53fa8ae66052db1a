"""The write side of SCO Engagements Explorer: raw records -> validated tables.

Never imports streamlit. Stages run one way: sources (I/O) -> extract (pure) ->
normalize (pure) -> validate (pure) -> store (I/O).
"""

__version__ = "0.1.0"
