"""`make drills`: fault drills against the portal served as in production; see __main__.py."""
