#!/usr/bin/python3
"""Builds the tiny CLIP-shaped TorchScript fixture that ClipTorchScriptScorerTest loads.

Run with Debian's python3-torch (torch 1.13):  /usr/bin/python3 make_fixture.py
It rewrites, next to itself:

  image_encoder.pt               N x 3 x S x S float -> N x 8 (conv, ReLU, global pool, linear)
  text_encoder.pt                N x L int64 ids -> N x 8 (embedding; mean over positions plus
                                 the row at the end-of-text token, found as CLIP finds it:
                                 the largest id; linear)
  tokenizer.json                 a HuggingFace tokenizers WordLevel tokenizer, written by hand
  prompts.txt, text_embeddings.npy
                                 class prompts and their raw (not normalised) text-encoder
                                 outputs, float64, for the precomputed path
  image_views.npy                a fixed batch of views, shape (3, 3*S*S) float32
  expected_image_embeddings.npy  torch's image embeddings of those views, L2-normalised
  expected_text_prompts.txt      three prompts: one that fills the context exactly, one with
                                 an unknown word and padding, one that must be truncated
  expected_token_ids.npy         the ids this script's own tokenisation gives them (int64)
  expected_text_embeddings.npy   torch's text embeddings of those ids, L2-normalised

Both modules are traced with torch.jit.trace on a batch of 2, as docs/CLIP.md exports CLIP.
Everything is seeded, so rerunning gives the same numbers (the .pt archives differ from run to
run only in their debug-info records, *.debug_pkl).
"""
import json
import pathlib
import re

import numpy as np
import torch
from torch import nn

HERE = pathlib.Path(__file__).resolve().parent
INPUT_SIZE = 16
CONTEXT_LENGTH = 8
DIM = 8

WORDS = ["a", "photo", "of", "the", "circle", "square", "triangle", "star", ".",
         "red", "blue", "small", "large", "with", "and", "on"]
# CLIP's layout: padding id 0, start and end of text last, end of text the largest id
VOCAB = {"<pad>": 0, "<unk>": 1}
for word in WORDS:
    VOCAB[word] = len(VOCAB)
VOCAB["<bos>"] = len(VOCAB)
VOCAB["<eos>"] = len(VOCAB)

CLASS_PROMPTS = ["a photo of a circle.", "a photo of a square.",
                 "a photo of a triangle.", "a photo of a star."]
TEST_PROMPTS = ["a photo of a circle.",                       # 6 words + 2 specials = L
                "A Red zebra",                                 # lower-cased, <unk>, padded
                "a photo of a large blue star with a ring."]   # truncated to 6 words


class ImageEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, kernel_size=3, stride=2, padding=1)
        self.proj = nn.Linear(4, DIM)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.conv(x))
        return self.proj(x.mean(dim=(2, 3)))


class TextEncoder(nn.Module):
    def __init__(self, vocab_size: int):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, 6)
        self.proj = nn.Linear(6, DIM)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.token_embedding(ids)
        end_of_text = x[torch.arange(ids.shape[0]), ids.argmax(dim=-1)]
        return self.proj(x.mean(dim=1) + end_of_text)


def tokenize(prompt: str) -> list:
    """What tokenizer.json does: lower-case, split like the Whitespace pre-tokenizer
    (runs of word characters, runs of other non-space characters), WordLevel lookup,
    truncate the words to L - 2, wrap in <bos> ... <eos>, pad with <pad> to L."""
    words = re.findall(r"\w+|[^\w\s]+", prompt.lower())
    ids = [VOCAB.get(w, VOCAB["<unk>"]) for w in words][:CONTEXT_LENGTH - 2]
    ids = [VOCAB["<bos>"]] + ids + [VOCAB["<eos>"]]
    return ids + [VOCAB["<pad>"]] * (CONTEXT_LENGTH - len(ids))


def special(token: str) -> dict:
    return {"id": VOCAB[token], "content": token, "single_word": False, "lstrip": False,
            "rstrip": False, "normalized": False, "special": True}


def tokenizer_json() -> dict:
    def template_special(token, type_id):
        return {"SpecialToken": {"id": token, "type_id": type_id}}

    def template_sequence(name, type_id):
        return {"Sequence": {"id": name, "type_id": type_id}}

    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [special(t) for t in ("<pad>", "<unk>", "<bos>", "<eos>")],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [template_special("<bos>", 0), template_sequence("A", 0),
                       template_special("<eos>", 0)],
            "pair": [template_special("<bos>", 0), template_sequence("A", 0),
                     template_special("<eos>", 0), template_sequence("B", 1),
                     template_special("<eos>", 1)],
            "special_tokens": {t: {"id": t, "ids": [VOCAB[t]], "tokens": [t]}
                               for t in ("<bos>", "<eos>")},
        },
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": VOCAB, "unk_token": "<unk>"},
    }


def normalise(rows: torch.Tensor) -> torch.Tensor:
    return rows / rows.norm(dim=1, keepdim=True)


def main():
    torch.manual_seed(20251126)
    # traced, as docs/CLIP.md exports CLIP, with a batch of 2: the tests run batches of 1 and 3
    eager_image, eager_text = ImageEncoder().eval(), TextEncoder(len(VOCAB)).eval()
    with torch.no_grad():
        image_encoder = torch.jit.trace(eager_image, torch.randn(2, 3, INPUT_SIZE, INPUT_SIZE))
        text_encoder = torch.jit.trace(
            eager_text, torch.tensor([tokenize("a photo"), tokenize("a star")]))
    torch.jit.save(image_encoder, str(HERE / "image_encoder.pt"))
    torch.jit.save(text_encoder, str(HERE / "text_encoder.pt"))
    (HERE / "tokenizer.json").write_text(json.dumps(tokenizer_json(), indent=1) + "\n")

    views = torch.randn(3, 3, INPUT_SIZE, INPUT_SIZE)
    class_ids = torch.tensor([tokenize(p) for p in CLASS_PROMPTS], dtype=torch.int64)
    test_ids = torch.tensor([tokenize(p) for p in TEST_PROMPTS], dtype=torch.int64)
    with torch.no_grad():
        image_embeddings = normalise(image_encoder(views))
        class_embeddings = text_encoder(class_ids)
        text_embeddings = normalise(text_encoder(test_ids))
        # the traces must not have fixed the batch size of their example
        assert torch.allclose(image_encoder(views), eager_image(views))
        assert torch.allclose(text_encoder(test_ids), eager_text(test_ids))

    np.save(HERE / "image_views.npy", views.reshape(3, -1).numpy().astype(np.float32))
    np.save(HERE / "expected_image_embeddings.npy", image_embeddings.numpy().astype(np.float32))
    (HERE / "prompts.txt").write_text("\n".join(CLASS_PROMPTS) + "\n")
    np.save(HERE / "text_embeddings.npy", class_embeddings.numpy().astype(np.float64))
    (HERE / "expected_text_prompts.txt").write_text("\n".join(TEST_PROMPTS) + "\n")
    np.save(HERE / "expected_token_ids.npy", test_ids.numpy())
    np.save(HERE / "expected_text_embeddings.npy", text_embeddings.numpy().astype(np.float32))


if __name__ == "__main__":
    main()
