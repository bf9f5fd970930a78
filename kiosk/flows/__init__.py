"""One UI-agnostic state machine per service; the UI renders FlowView and sends intents back."""
