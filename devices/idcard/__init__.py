"""Second-generation ID card reader (SAM_V module, GA 467 framing): protocol, document, device, simulator."""
