"Corpora from the offline kit and the embedded stories: cleaning, document splits, sequences, and every bad-input error."
import os
from pathlib import Path

import pytest
import torch

from hyperfit.corpora import (CORPORA, hyperfit_data, load_corpus, make_sequences, split_documents)
from hyperfit.config import get_config
from hyperfit.models import tiny_tokenizer

pytestmark = pytest.mark.xdist_group('corpora')   # one worker: its module-scoped fixtures are built once

KIT = os.environ.get('HYPERFIT_DATA')
needs_kit = pytest.mark.skipif(not KIT, reason='the offline data kit (HYPERFIT_DATA) is not beside this clone')

@pytest.fixture(scope='module')
def tok(): return tiny_tokenizer()

@needs_kit
@pytest.mark.parametrize('name,n_docs', [('fiction', 15), ('wikitext', 122), ('news', 866), ('tinystories', 2316)])
def test_offline_kit_corpora(name, n_docs):
    c = load_corpus(name)
    assert len(c) == n_docs and c.source.startswith(KIT)
    assert all(d.strip() == d and d for d in c.docs)

@needs_kit
def test_gutenberg_licence_text_removed():
    docs = load_corpus('fiction').docs
    assert not any('PROJECT GUTENBERG' in d.upper() for d in docs)
    assert not any('[Illustration' in d for d in docs)
    alice = next(d for d in docs if 'Alice was beginning to get very tired' in d)
    assert 'Alice was beginning to get very tired of sitting by her sister on the bank' in alice  # lines unwrapped

def test_embedded_stories_are_the_default_corpus():
    c = load_corpus('stories')
    assert len(c) == 16 and 10_000 <= c.n_words <= 14_000
    assert get_config('cpu').corpus == 'stories'

@pytest.mark.parametrize('seed', [0, 1, 2, 3])
def test_splits_share_no_document(seed):
    docs = load_corpus('stories').docs
    s = split_documents(docs, seed=seed)
    assert sorted(s.train + s.val + s.prompts) == sorted(docs)
    assert not (set(s.train) & set(s.val)) and not (set(s.train) & set(s.prompts)) and not (set(s.val) & set(s.prompts))
    assert split_documents(docs, seed=seed) == s

def test_run_data_never_mixes_documents(tok):
    cfg = get_config('ci')
    parts = split_documents(load_corpus('stories').docs, seed=cfg.seed)
    d = hyperfit_data(cfg, tok)
    decode = lambda t: tok.decode(t, skip_special_tokens=True)
    for rows, part in [(d.train, parts.train), (d.val, parts.val), (d.prompts, parts.prompts)]:
        for row in rows[:4]:
            text = decode(row)[:40]
            assert any(text in doc for doc in part), text

def test_sequences_start_with_bos_and_are_seeded(tok):
    docs = load_corpus('stories').docs
    a = make_sequences(docs, tok, 10, 48, seed=3)
    assert a.shape == (10, 48) and a.dtype == torch.long and bool((a[:, 0] == tok.bos_token_id).all())
    assert torch.equal(a, make_sequences(docs, tok, 10, 48, seed=3))
    first = make_sequences(docs, tok, 3, 48, select='first')
    assert tok.decode(first[0], skip_special_tokens=True).startswith(docs[0][:20])

# ---- bad input: one clear line that says what to do
def test_unknown_corpus():
    with pytest.raises(ValueError, match=r"^unknown corpus 'poems': use one of fiction, news, stories, tinystories, wikitext, or a path"):
        load_corpus('poems')

def test_hub_unreachable(monkeypatch):
    monkeypatch.delenv('HYPERFIT_DATA', raising=False)
    with pytest.raises(ConnectionError, match=r"could not load corpus 'news' from the Hugging Face hub .*set HYPERFIT_DATA to a local data folder or use corpus 'stories'"):
        load_corpus('news')

def test_data_dir_without_the_corpus(tmp_path):
    with pytest.raises(FileNotFoundError, match="fiction/gutenberg does not exist: point HYPERFIT_DATA at a folder"):
        load_corpus('fiction', data_dir=tmp_path)

def test_empty_and_binary_files(tmp_path):
    (tmp_path/'empty.txt').write_text('\n \n')
    with pytest.raises(ValueError, match="holds no text"): load_corpus(str(tmp_path/'empty.txt'))
    (tmp_path/'img.txt').write_bytes(bytes(range(256)))
    with pytest.raises(ValueError, match="img.txt is not UTF-8 text: hyperfit reads .txt and .jsonl files"): load_corpus(str(tmp_path/'img.txt'))
    (tmp_path/'d').mkdir(); (tmp_path/'d'/'x.pdf').write_bytes(b'%PDF')
    with pytest.raises(ValueError, match="holds no .txt or .jsonl file"): load_corpus(str(tmp_path/'d'))

def test_corpus_too_small_says_how_many_fit(tok):
    docs = load_corpus('stories').docs[:1]
    fit = make_sequences(docs, tok, 1, 128).shape[0]  # at least one fits
    with pytest.raises(ValueError, match=r"the corpus gives only (\d+) sequences of 128 tokens \(need 500\): .* ask for at most \1,"):
        make_sequences(docs, tok, 500, 128)

def test_sequence_longer_than_the_model_allows(tok):
    with pytest.raises(ValueError, match="sequences of 512 tokens exceed the model's context of 256: use at most 256"):
        hyperfit_data(get_config('ci', seq_len=512), tok, max_len=256)

def test_too_few_documents_to_split():
    with pytest.raises(ValueError, match="2 document\\(s\\) cannot be split"):
        split_documents(['a', 'b'])
