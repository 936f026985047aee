"""One producer per artifact kind: the doit python-actions that build each output.

Producer modules import only the standard library at import time (dodo.py references their
functions on the no-op path); heavy libraries are imported inside the actions.
"""
