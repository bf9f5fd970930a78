"""Finishing what a previous run left unfinished, against the real backend and the kiosk's own printers.

The generic state walk is kiosk.journal.reconcile.Reconciler; this package adapts its ports to the backend
client (backend_port) and to the printers (printer_port), and lets each service finish its own documents
(ServiceRecovery, kiosk/services/NAME/recovery.py).
"""
