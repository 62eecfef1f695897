"""``calendar_year_loaded``: sent on commit, once per successfully loaded year (kwarg ``year``).

Receivers recompute deadlines that were provisional because the year was not covered.
"""

from django.dispatch import Signal

calendar_year_loaded = Signal()
