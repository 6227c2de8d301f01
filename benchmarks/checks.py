"""The quality checks and case elements, measured: recall on injected defects, false findings on
sound files, parties against the truth, and what the checks cost.

For every case (unseen seeds of each generator, read once and kept under `--cases`):
- the case as generated is compiled; its findings are compared with what the same rules find on
  the truth itself (a generator may leave a defect in: a companion the page budget dropped, two
  interviews by one officer at once). A finding the truth does not warrant is a false finding.
- one defect of each kind is then injected into a copy of what was read, and the compile must
  find it: a middle page of a numbered document removed, a record page's signature blanked (its
  scan painted white below the last line, the lines OCR read there gone), a companion document
  removed, the date of a 提请批准逮捕书 moved 40 days on, a digit of a person's ID number changed
  wherever it is printed, a page darkened.
- parties: every person the truth questions in a record, with the record's role and the ID number
  its header prints, looked up by name in `case.parties`.

    .venv/bin/python -m benchmarks.checks --seeds 8301 8302 8303 --pages 60
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import random
import re
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks.cross_generator import read_case_pages  # noqa: E402
from cataloging.checks import foot_signed, load_checks, run_checks  # noqa: E402
from cataloging.dossier import Document  # noqa: E402
from cataloging.elements import ID_NUMBER, ROLE_OF_RECORD, case_elements, id_number_valid  # noqa: E402
from classification.taxonomy import load_taxonomy  # noqa: E402
from compiler_service.pipeline import write_dossier  # noqa: E402
from compiler_service.settings import Settings  # noqa: E402
from ocr.page import Page, PageLabel, PageRef, TextLine  # noqa: E402

RULES = ("missing_pages", "unsigned_record_page", "required_document_missing", "time_limit", "identity_mismatch", "poor_scan")
Ref = tuple[int, int]


def compile_findings(sources, pages, settings: Settings) -> tuple[dict, float]:
    """The catalog of a compile, and the seconds its checks took per page."""
    with tempfile.TemporaryDirectory(prefix="dossier-checks-") as tmp:
        result = write_dossier(sources, pages, Path(tmp), settings)
        catalog = json.loads(result.catalog.read_text(encoding="utf-8"))
    return catalog, catalog["timings"].get("check", 0.0) / max(1, len(pages))


def _refs(finding: dict) -> set[Ref]:
    return {(p["file"], p["page"]) for p in finding.get("pages", [])}


def truth_documents(truth: dict, names: list[str]) -> list[Document]:
    """The truth's documents as the checks read documents: its page texts, printed numbers,
    dates and persons, with file indices those of the compile (`names`: its sources in order)."""
    index = {i: names.index(s["name"]) for i, s in enumerate(truth["sources"])}
    labels = {t.code: t.label for t in load_taxonomy().types}
    documents = []
    for d in truth["documents"]:
        pages = []
        for i, p in enumerate(d["pages"]):
            text = (p.get("text") or "").split("\n")
            page = Page(PageRef(index[p["source"]["file"]], p["source"]["page"]), "", None, 200.0,
                        lines=[TextLine(t, (100.0, 40.0 * k, 1500.0, 40.0 * k + 30), 1.0) for k, t in enumerate(text)])
            number = p.get("printed_page")
            page.label = PageLabel(d["type"], i == 0, 1.0, (number, None) if number else None, [])
            pages.append(page)
        documents.append(Document(d["type"], pages, labels.get(d["type"], d["type"]), d.get("doc_number"), d.get("author"),
                                  d.get("date"), list(d.get("persons", []))))
    return documents


def expected_findings(truth: dict, names: list[str]) -> list[dict]:
    """What the text rules find on the truth itself: defects the generator left in."""
    config = load_checks()
    for rule in ("unsigned_record_page", "poor_scan"):  # they read the scan, which the truth does not have
        config.rules[rule].enabled = False
    documents = truth_documents(truth, names)
    labels = {t.code: t.label for t in load_taxonomy().types}
    found = [f.to_json() for f in run_checks(documents, case_elements(documents), config, labels)]
    # the closing words and signatures written by hand are no text of the truth: a record's end is not judged on it
    return [f for f in found if f["details"].get("missing") != "end"]


def _matches(found: dict, wanted: dict) -> bool:
    if found["rule"] != wanted["rule"]:
        return False
    same = ("needs", "person", "officers")
    return bool(_refs(found) & _refs(wanted)) or any(k in wanted["details"] and found["details"].get(k) == wanted["details"][k] for k in same)


def truth_parties(truth: dict) -> dict[str, tuple[str, str | None]]:
    """name -> (role, the ID number its record's header prints) for everyone questioned."""
    parties: dict[str, tuple[str, str | None]] = {}
    for d in truth["documents"]:
        if d["type"] in ROLE_OF_RECORD and d.get("persons"):
            header = re.split(r"\n问[:：]", d["pages"][0].get("text") or "")[0].replace(" ", "")
            number = ID_NUMBER.search(header)
            parties.setdefault(d["persons"][0], (ROLE_OF_RECORD[d["type"]], number.group(1).upper() if number else None))
    return parties


# ---- injected defects: each returns the pages to compile and the pages the finding must name ---


def _doc_pages(truth: dict, names: list[str], d: dict) -> list[Ref]:
    index = {i: names.index(s["name"]) for i, s in enumerate(truth["sources"])}
    return [(index[p["source"]["file"]], p["source"]["page"]) for p in d["pages"]]


def _by_ref(pages: list[Page]) -> dict[Ref, Page]:
    return {(p.ref.file, p.ref.page): p for p in pages}


def _removed(pages: list[Page], gone: set[Ref]) -> list[Page]:
    """The pages with `gone` left out of the file: fed through the scanner as blank sheets, so
    that every source page is still accounted for."""
    for p in pages:
        if (p.ref.file, p.ref.page) in gone:
            p.blank, p.lines = True, []
    return pages


def inject_missing_page(truth, names, pages, rng):
    docs = [d for d in truth["documents"] if len(d["pages"]) >= 3 and all(p.get("printed_page") for p in d["pages"])]
    if not docs:
        return None
    d = rng.choice(docs)
    refs = _doc_pages(truth, names, d)
    gone = refs[len(refs) // 2]
    return _removed(pages, {gone}), set(refs) - {gone}


def inject_unsigned(truth, names, pages, rng):
    signed = [p for p in pages if p.foot_signed]
    if not signed:
        return None
    page = rng.choice(signed)
    image = page.image.copy()
    body = [ln for ln in page.lines if len(ln.text.replace(" ", "")) >= 12 and not re.search(r"[讯询]问人|记录|第.{1,3}页", ln.text)]
    top = int(max((ln.box[3] for ln in body), default=0.6 * image.shape[0])) + 4
    image[top:] = 255  # the signature, the fingerprint, the date: painted out
    page.image = image
    page.lines = [ln for ln in page.lines if ln.box[1] < top or re.search(r"第.{1,3}页|共.{1,3}页", ln.text)]
    page.foot_signed = foot_signed(page)
    return pages, {(page.ref.file, page.ref.page)}


def inject_missing_companion(truth, names, pages, rng):
    config = load_checks()
    present = {d["type"] for d in truth["documents"]}
    pairs = [c for c in config.companions if c.type in present and c.needs in present]
    if not pairs:
        return None
    pair = rng.choice(pairs)
    gone = {r for d in truth["documents"] if d["type"] == pair.needs for r in _doc_pages(truth, names, d)}
    keep = {r for d in truth["documents"] if d["type"] == pair.type for r in _doc_pages(truth, names, d)}
    return _removed(pages, gone), keep


def inject_late_request(truth, names, pages, rng):
    requests = [d for d in truth["documents"] if d["type"] == "arrest_request" and d.get("date")]
    detentions = [d for d in truth["documents"] if d["type"] == "detention_warrant" and d.get("date")]
    if not (requests and detentions):
        return None
    request = requests[0]
    late = datetime.fromisoformat(min(d["date"] for d in detentions)[:10]) + timedelta(days=40)
    by_ref = _by_ref(pages)
    last = by_ref.get(_doc_pages(truth, names, request)[-1])
    if last is None:
        return None
    from cataloging.extract import find_dates

    # the date by the signature, as printed on the last page, moved
    for i in range(len(last.lines) - 1, -1, -1):
        if find_dates(last.lines[i].text):
            last.lines[i] = TextLine(f"{late.year}年{late.month}月{late.day}日", last.lines[i].box, last.lines[i].score)
            return pages, set(_doc_pages(truth, names, request))
    return None


def inject_wrong_id(truth, names, pages, rng):
    people = [(name, number) for name, (_, number) in truth_parties(truth).items() if number]
    if not people:
        return None
    name, number = rng.choice(people)
    digit = rng.randrange(14, 17)  # a digit of the sequence: the number still reads as one, its check character no longer fits
    touched = set()
    for p in pages:
        texts = [ln.text.replace(" ", "") for ln in p.lines]
        flat = "".join(texts)
        at = [(i, k) for i, t in enumerate(texts) for k in range(len(t))]  # where each character of `flat` stands
        for m in re.finditer(number, flat):  # wherever it is printed, across a line break too
            i, k = at[m.start() + digit]
            texts[i] = texts[i][:k] + str((int(texts[i][k]) + 1) % 10) + texts[i][k + 1:]
            touched.add((p.ref.file, p.ref.page))
        p.lines = [TextLine(t, ln.box, ln.score) for t, ln in zip(texts, p.lines)]
    return (pages, touched) if touched else None


def inject_dark_page(truth, names, pages, rng):
    candidates = [p for p in pages if p.image is not None and not p.excluded]
    page = rng.choice(candidates)
    page.image = (page.image.astype(np.float32) * 0.3).astype(np.uint8)
    page.make_thumbnail()
    return pages, {(page.ref.file, page.ref.page)}


INJECTIONS = {
    "missing_pages": inject_missing_page,
    "unsigned_record_page": inject_unsigned,
    "required_document_missing": inject_missing_companion,
    "time_limit": inject_late_request,
    "identity_mismatch": inject_wrong_id,
    "poor_scan": inject_dark_page,
}


def with_images(pages: list[Page]) -> list[Page]:
    """The pages as read, their scans decoded again (injections paint on them), the signature
    measure taken as the reader takes it."""
    import io

    from PIL import Image

    pages = copy.deepcopy(pages)
    for p in pages:
        if p.scan is not None and p.scan.data:
            p.image = np.asarray(Image.open(io.BytesIO(p.scan.data)).convert("RGB"))
            if p.foot_signed is None:  # read before the reader measured it
                p.foot_signed = foot_signed(p)
    return pages


def run(generators: list[str], seeds: list[int], pages: int, cases: Path) -> dict:
    settings = Settings()
    rows = []
    for generator in generators:
        for seed in seeds:
            truth_path, sources, read = read_case_pages(generator, seed, pages, cases, settings)
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            names = [s.name for s in sources]
            base = with_images(read)
            catalog, cost = compile_findings(sources, copy.deepcopy(base), settings)
            expected = expected_findings(truth, names)
            false = [f for f in catalog["checks"] if not any(_matches(f, w) for w in expected)]
            found_expected = [w for w in expected if any(_matches(f, w) for f in catalog["checks"])]
            wanted = truth_parties(truth)
            got = {p["name"]: p for p in catalog["case"].get("parties", [])}
            parties = {"truth": len(wanted), "found": sum(n in got for n in wanted),
                       "role": sum(n in got and got[n]["role"] == role for n, (role, _) in wanted.items()),
                       "ids": sum(1 for n, (_, i) in wanted.items() if i), "id_exact": sum(n in got and got[n]["id_number"] == i for n, (_, i) in wanted.items() if i)}
            injected = {}
            for rule, inject in INJECTIONS.items():
                rng = random.Random(f"{generator}-{seed}-{rule}")
                made = inject(truth, names, copy.deepcopy(base), rng)
                if made is None:
                    injected[rule] = None
                    continue
                changed, where = made
                after, _ = compile_findings(sources, changed, settings)
                injected[rule] = any(f["rule"] == rule and _refs(f) & where for f in after["checks"])
            row = {"generator": generator, "seed": seed, "pages": len(read), "findings": len(catalog["checks"]),
                   "expected": len(expected), "expected_found": len(found_expected),
                   "false": [{k: f[k] for k in ("rule", "message", "documents")} for f in false],
                   "injected": injected, "parties": parties, "check_seconds_per_page": round(cost, 5)}
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "false"} | {"false": len(false)}, ensure_ascii=False), flush=True)
    return summarize(rows, generators, seeds, pages)


def summarize(rows: list[dict], generators: list[str], seeds: list[int], pages: int) -> dict:
    recall = {}
    for rule in RULES:
        tried = [r["injected"][rule] for r in rows if r["injected"][rule] is not None]
        recall[rule] = {"found": sum(tried), "injected": len(tried), "recall": round(sum(tried) / len(tried), 3) if tried else None}
    total_pages = sum(r["pages"] for r in rows)
    false_by_rule = Counter(f["rule"] for r in rows for f in r["false"])
    party = {k: sum(r["parties"][k] for r in rows) for k in rows[0]["parties"]}
    return {
        "date": date.today().isoformat(), "machine": f"{platform.machine()}, {platform.python_version()}",
        "generators": generators, "seeds": seeds, "pages": pages, "cases": rows, "recall": recall,
        "false_per_100_pages": {rule: round(100 * false_by_rule[rule] / total_pages, 2) for rule in RULES},
        "parties": {**party, "role_accuracy": round(party["role"] / party["truth"], 3) if party["truth"] else None,
                    "id_accuracy": round(party["id_exact"] / party["ids"], 3) if party["ids"] else None},
        "check_seconds_per_page": round(float(np.mean([r["check_seconds_per_page"] for r in rows])), 5),
    }


def write(result: dict, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"checks-{result['date']}"
    stem.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    lines = [f"Quality checks ({result['date']}, {result['machine']}; {', '.join(result['generators'])} seeds {result['seeds']}, "
             f"{result['pages']} pages each)", "", "| rule | injected recall | false findings per 100 pages |", "|---|---|---|"]
    for rule in RULES:
        r = result["recall"][rule]
        shown = f"{r['found']}/{r['injected']} = {r['recall']:.2f}" if r["recall"] is not None else "not injected"
        lines.append(f"| {rule} | {shown} | {result['false_per_100_pages'][rule]:.2f} |")
    p = result["parties"]
    lines += ["", f"Parties: {p['found']}/{p['truth']} found, role right {p['role']}/{p['truth']} = {p['role_accuracy']}, ID number exact "
                  f"{p['id_exact']}/{p['ids']} = {p['id_accuracy']}. Checks cost {result['check_seconds_per_page'] * 1000:.1f} ms a page.", "",
              "False findings:"]
    lines += [f"- {r['generator']} {r['seed']}: {f['rule']} {f['message']}" for r in result["cases"] for f in r["false"]] or ["- none"]
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    fig, ax = plt.subplots(1, 2, figsize=(11, 3.8))
    values = [result["recall"][r]["recall"] or 0 for r in RULES]
    ax[0].barh(RULES, values, color="#3a7")
    ax[0].axvline(0.95, color="grey", linestyle="--")
    ax[0].set_xlim(0, 1)
    ax[0].set_title("recall on injected defects")
    ax[1].barh(RULES, [result["false_per_100_pages"][r] for r in RULES], color="#c53")
    ax[1].axvline(1.0, color="grey", linestyle="--")
    ax[1].set_title("false findings per 100 pages")
    ax[1].set_yticklabels([])
    fig.tight_layout()
    fig.savefig(stem.with_suffix(".png"), dpi=110)
    return stem.with_suffix(".md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--generators", nargs="+", default=["normal", "independent", "forms"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[8301, 8302, 8303])
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--cases", type=Path, default=Path(".cache/checks"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args()
    started = time.perf_counter()
    result = run(args.generators, args.seeds, args.pages, args.cases)
    print(write(result, args.out).read_text(encoding="utf-8"))
    print(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
