"""The rewritable card printer that erases and reprints the endorsement block on the permit's back."""
