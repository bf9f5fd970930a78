"""The card printer for the temporary ID card: protocol (Evolis-style text commands), device, simulator."""
