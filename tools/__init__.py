"""Tools that are not tests: benchmarks, fault drills, the load test, the dependency audit and the
harness that serves the portal as in production for them (and for tests/test_servers.py)."""
