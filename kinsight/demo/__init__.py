"""The top floor: the demo's generators (kinsight.demo.generate), the demo setup and
the bench (kinsight.demo.bench) with their management commands (generate, demo_setup,
bench). It may import every app; no app imports it (tests/core/test_layers.py)."""
