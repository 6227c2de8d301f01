"""What a training run leaves for people: a learning curve, a confusion matrix, a model card."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def plot_learning_curve(history: list[dict], path: Path) -> None:
    epochs = [h["epoch"] for h in history]
    fig, loss_ax = plt.subplots(figsize=(7, 4))
    loss_ax.plot(epochs, [h["loss"] for h in history], color="tab:gray", label="training loss")
    loss_ax.set_xlabel("epoch")
    loss_ax.set_ylabel("training loss")
    score_ax = loss_ax.twinx()
    score_ax.plot(epochs, [h["page_type_accuracy"] for h in history], color="tab:blue", label="page type accuracy")
    score_ax.plot(epochs, [h["boundary_f1"] for h in history], color="tab:green", label="boundary F1")
    score_ax.set_ylabel("validation score")
    score_ax.set_ylim(0, 1.01)
    handles = loss_ax.get_legend_handles_labels()[0] + score_ax.get_legend_handles_labels()[0]
    score_ax.legend(handles, [h.get_label() for h in handles], loc="center right")
    loss_ax.set_title("Page model training (validation cases)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_confusion(confusion: np.ndarray, types: list[str], path: Path, title: str = "Page types on validation cases (pages)") -> None:
    """Rows: true type, columns: predicted; only types that occur, normalised per row."""
    used = [i for i in range(len(types)) if confusion[i].sum() or confusion[:, i].sum()]
    matrix = confusion[np.ix_(used, used)].astype(float)
    shares = matrix / np.maximum(1, matrix.sum(1, keepdims=True))
    fig, ax = plt.subplots(figsize=(0.32 * len(used) + 3, 0.32 * len(used) + 2.5))
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    names = [types[i] for i in used]
    ax.set_xticks(range(len(used)), names, rotation=90, fontsize=7)
    ax.set_yticks(range(len(used)), names, fontsize=7)
    for r in range(len(used)):
        for c in range(len(used)):
            if matrix[r, c]:
                ax.text(c, r, int(matrix[r, c]), ha="center", va="center", fontsize=6, color="white" if shares[r, c] > 0.5 else "black")
    ax.set_xlabel("predicted type")
    ax.set_ylabel("true type")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_model_card(meta: dict, history: list[dict], path: Path) -> None:
    data, metrics, training, agreement = meta["data"], meta["metrics"], meta["training"], meta["agreement"]
    held_out = not set(data["validation"]) <= set(data["train"])
    lines = [
        f"# Page model {meta['version']}",
        "",
        f"- created: {meta['created']}",
        f"- architecture: page encoder (hashed character n-grams, layout and rule features, 64x48 thumbnail CNN) + "
        f"{meta['model']['layers']}-layer transformer over the page stream (hidden {meta['model']['hidden']}, "
        f"window {meta['model']['max_pages']} pages); {meta['parameters']:,} parameters",
        f"- outputs: one of {len(meta['types'])} document types and starts/continues, per page",
        f"- training: {training['epochs']} epochs, seed {training['seed']}, {training['seconds']} s"
        + (f", fine-tuned from {training['init']}" if training["init"] else ", from scratch"),
        f"- training data: {len(data['train'])} cases, {data['train_pages']} pages; fingerprint `{data['sha256'][:16]}`",
        f"- validation data: {', '.join(data['validation'])} ({data['validation_pages']} pages)"
        + ("" if held_out else ": the training cases themselves, too few to hold one out; the figures below flatter the model"),
        "",
        "## Validation",
        "",
        f"The model's own page decisions on the {'held-out' if held_out else 'training'} cases (before segmentation repairs pages by",
        "their printed numbers and settles victim vs witness from the whole case; whole-pipeline",
        "figures on evaluation seeds are in the README and `benchmarks/RESULTS.md`).",
        "",
        "| page type accuracy | boundary F1 |",
        "|---|---|",
        f"| {metrics['page_type_accuracy']:.3f} | {metrics['boundary_f1']:.3f} |",
        "",
        f"ONNX export checked against torch on {agreement['pages']} pages: same decision on "
        f"{agreement['same_decision']:.1%}, largest probability difference {agreement['max_probability_difference']:.1e}.",
        "",
        "![learning curve](learning_curve.png)",
        "![confusion matrix](confusion.png)",
        "",
        "## Features and limits",
        "",
        "Text enters as hashed character 1-3-grams rather than segmented words (jieba): an OCR slip",
        "breaks a word but leaves most n-grams intact.",
        "",
        "Trained on generated cases (and any corrected dossiers listed above). Validation cases come",
        "from the same generator as the training cases; the accuracy on real files is measured only",
        "once corrected real dossiers are imported. The learning curve has "
        f"{len(history)} points.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
