"""`kiosk-admin`: the fleet administrators' tool (key generation, signing, verification). Runs off-kiosk."""
