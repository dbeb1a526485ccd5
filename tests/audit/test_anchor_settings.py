"""Production refuses to start without the audit chain's key and checkpoint file, and
says what to set (the settings guard, as tests/ui/test_platform.py tests the rest)."""

import pytest

from tests.ui.test_platform import GOOD_PRODUCTION, _settings_load


def _anchored(tmp_path, key="k" * 8 + "0123456789abcdef0123456789abcdef"):
    key_file = tmp_path / "audit.key"
    key_file.write_text(key + "\n")
    return {
        **GOOD_PRODUCTION,
        "KINSIGHT_AUDIT_KEY_FILE": str(key_file),
        "KINSIGHT_AUDIT_CHECKPOINT_FILE": str(tmp_path / "checkpoints.jsonl"),
    }


def test_production_accepts_a_key_file_and_a_checkpoint_file(tmp_path):
    code, output = _settings_load(_anchored(tmp_path))
    assert code == 0, output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"KINSIGHT_AUDIT_KEY_FILE": ""}, "KINSIGHT_AUDIT_KEY_FILE must name a readable file"),
        ({"KINSIGHT_AUDIT_KEY_FILE": "/nonexistent/audit.key"}, "KINSIGHT_AUDIT_KEY_FILE must"),
        ({"KINSIGHT_AUDIT_CHECKPOINT_FILE": ""}, "KINSIGHT_AUDIT_CHECKPOINT_FILE must name"),
    ],
)
def test_production_refuses_without_the_audit_anchor(tmp_path, change, message):
    code, output = _settings_load({**_anchored(tmp_path), **change})
    assert code != 0
    assert "Production settings refused" in output and message in output


def test_production_refuses_a_short_key(tmp_path):
    code, output = _settings_load(_anchored(tmp_path, key="short"))
    assert code != 0
    assert "secrets.token_hex(32)" in output


def test_production_refuses_a_key_path_it_cannot_read_as_a_file(tmp_path):
    env = _anchored(tmp_path)
    (tmp_path / "keys").mkdir()
    code, output = _settings_load({**env, "KINSIGHT_AUDIT_KEY_FILE": str(tmp_path / "keys")})
    assert code != 0
    assert "KINSIGHT_AUDIT_KEY_FILE must name a readable file" in output
