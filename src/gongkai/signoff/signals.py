"""Signals sent after a sign-off transaction commits (later modules publish on approval)."""

from django.dispatch import Signal

# kwargs: chain — sent once, after the commit that approved the last step.
chain_approved = Signal()
# kwargs: chain, step — sent after the commit that returned the chain for revision.
chain_returned = Signal()
# kwargs: step — sent after the commit that made a step active (reviewers may be notified).
step_activated = Signal()
