"""The statute as data and arithmetic. Pure Python: nothing in this package imports Django."""
