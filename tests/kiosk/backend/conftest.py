from server.sandbox.testing import sandbox_factory, sandbox_server, sandbox_url  # noqa: F401
