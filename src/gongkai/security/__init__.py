"""Platform-wide defences shared by every app: free-text rules, request middleware, view methods.

Not a Django app (no models): domain apps import ``text`` for their model validators and verbs,
delivery apps import ``forms`` and ``methods``; ``middleware`` is wired in settings.
"""
