"""One screen per flow step kind, plus the attract, home and technician screens."""
