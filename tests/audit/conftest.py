import pytest


@pytest.fixture(autouse=True)
def audit_checkpoint_file(settings, tmp_path):
    """Each audit test's own file of signed checkpoints: its chain is its own."""
    settings.KINSIGHT_AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    return tmp_path / "audit-checkpoints.jsonl"
