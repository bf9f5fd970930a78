"""Defences both servers share against hostile input: a body size limit enforced before parsing, one
error shape that never echoes the input, rate limits per source address, bounded JSON, private files.

Only Starlette/FastAPI and the standard library here; no server imports another server's code.
"""
