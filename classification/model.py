"""The page models in torch (training only; compiling runs their ONNX export).

`PageEncoder` turns one page's features into a vector; `StreamModel` runs a small transformer
encoder (a `BertModel` built from a config, trained from scratch) over the pages of a case in
scan order, so each page's decision sees its neighbours: a continuation page looks like the
page before it, a torn title is told by what follows. It labels every page with its document
type and whether it starts a document.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import torch
from torch import nn
from transformers import BertConfig, BertModel

from classification.features import FeatureSpec
from ocr.page import THUMBNAIL_SIZE

INPUTS = ("text", "layout", "prior", "thumbnail", "mask")
OUTPUTS = ("type_logits", "start_logits")


@dataclass(frozen=True)
class ModelConfig:
    hidden: int = 128
    layers: int = 2
    heads: int = 4
    max_pages: int = 256  # the longest window of pages the model sees at once
    dropout: float = 0.1
    text_dropout: float = 0.1  # on the n-gram vector: no single n-gram may decide

    def to_dict(self) -> dict:
        return asdict(self)


class PageEncoder(nn.Module):
    def __init__(self, spec: FeatureSpec, config: ModelConfig):
        super().__init__()
        h = config.hidden
        self.text = nn.Sequential(nn.Dropout(config.text_dropout), nn.Linear(spec.text_buckets, h))
        self.layout = nn.Sequential(nn.Linear(spec.layout_size + spec.prior_size, h), nn.GELU(), nn.Linear(h, h))
        self.look = nn.Sequential(  # 64x48 grey thumbnail → 32 channels of 8x6
            nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.GELU(),
            nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.GELU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.GELU(),
        )
        width, height = THUMBNAIL_SIZE
        self.look_out = nn.Linear(32 * (height // 8) * (width // 8), h)
        self.norm = nn.LayerNorm(h)

    def forward(self, text, layout, prior, thumbnail):
        batch, pages = text.shape[:2]
        look = self.look(thumbnail.flatten(0, 1)).flatten(1)
        look = self.look_out(look).view(batch, pages, -1)
        return self.norm(self.text(text) + self.layout(torch.cat([layout, prior], -1)) + look)


class StreamModel(nn.Module):
    def __init__(self, spec: FeatureSpec, config: ModelConfig):
        super().__init__()
        self.spec, self.config = spec, config
        self.encoder = PageEncoder(spec, config)
        bert = BertConfig(
            vocab_size=1, hidden_size=config.hidden, num_hidden_layers=config.layers, num_attention_heads=config.heads,
            intermediate_size=2 * config.hidden, max_position_embeddings=config.max_pages, type_vocab_size=1,
            hidden_dropout_prob=config.dropout, attention_probs_dropout_prob=config.dropout,
        )
        self.stream = BertModel(bert, add_pooling_layer=False)
        self.type_head = nn.Linear(config.hidden, len(spec.types))
        self.start_head = nn.Linear(config.hidden, 2)
        # the rules' title vote goes straight to the type logits as well, with a learned weight
        self.prior_gain = nn.Parameter(torch.tensor(1.0))

    def forward(self, text, layout, prior, thumbnail, mask):
        pages = self.encoder(text, layout, prior, thumbnail)
        hidden = self.stream(inputs_embeds=pages, attention_mask=mask).last_hidden_state
        n = len(self.spec.types)
        type_logits = self.type_head(hidden) + self.prior_gain * prior[..., :n]
        return type_logits, self.start_head(hidden)


def export_onnx(model: StreamModel, example: dict[str, torch.Tensor], path) -> None:
    """Export (torch.export based) with the batch and page axes dynamic: any case length up to
    `max_pages`."""
    model.eval()
    batch, pages = torch.export.Dim("batch", max=1024), torch.export.Dim("pages", max=model.config.max_pages)
    shapes = tuple({0: batch, 1: pages} for _ in INPUTS)
    with _known_exporter_notices():
        program = torch.onnx.export(
            model, tuple(example[name] for name in INPUTS), input_names=list(INPUTS), output_names=list(OUTPUTS),
            dynamic_shapes=shapes, opset_version=18, dynamo=True, verbose=False,
        )
        program.save(str(path))


@contextmanager
def _known_exporter_notices() -> Iterator[None]:
    """Hush what torch 2.13's exporter says on every export of this model, and only that, so a
    training run's terminal shows what matters:
    - it logs "torchvision is not installed. Skipping torchvision::nms" (and roi_align, roi_pool,
      deform_conv2d) while registering translations for torchvision's detection ops; this graph
      uses none, and torchvision is left out on purpose (it has no build for the CPU torch pin);
    - its own pytree code calls the `isinstance(treespec, LeafSpec)` it deprecated (FutureWarning);
    - the inputs share one `batch` and one `pages` axis, which it reports as a name "not used"
      while it gives every input those very names (tests/classification/test_training.py checks them).
    """
    registration = logging.getLogger("torch.onnx._internal.exporter._registration")

    def not_torchvision(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("torchvision is not installed. Skipping torchvision::")

    registration.addFilter(not_torchvision)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"`isinstance\(treespec, LeafSpec\)` is deprecated", FutureWarning)
            warnings.filterwarnings("ignore", r"# The axis name: (batch|pages) will not be used, since it shares the same shape constraints", UserWarning)
            yield
    finally:
        registration.removeFilter(not_torchvision)
