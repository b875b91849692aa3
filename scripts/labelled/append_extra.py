"""Append the hand-labelled rows of scripts/labelled/extra_train_labels.tsv to
tests/fixtures/labelled/train.tsv, and keep sources.tsv in step (new train rows go at the end
of the train block, before the first test row).

extra_train_labels.tsv (cid, source_file, labels, source, group, topic, text) holds labels decided
by reading each text against shared/LABELS.md; candidates came from extract_candidates.py. This
script decides no label. It only checks and assembles:
  - every text is a verbatim substring of its cleaned fixture source (source_file);
  - labels are valid and in the order talks,de_escalation,escalation,purchase (or none);
  - the row's source does not occur in test.tsv;
  - no duplicate of a train/test row or of another new row (same first 40 characters, or one
    contained in the other);
  - not a near-duplicate of a test row (character-trigram Jaccard >= 0.5, or >= 0.8 of the
    shorter text's trigrams inside the other; texts under 12 trigrams not compared);
  - a near-duplicate of a train row or of a longer new row with the same labels is dropped
    (only the existing / longer one is kept, as in PROVENANCE "Version 1 split").
Rows already in train.tsv are skipped, so a re-run appends nothing twice.
Run: python3 scripts/labelled/append_extra.py [--dry-run]
"""
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, __import__("os").path.dirname(__file__))
from common import FIX, LAB, clean, near, read_tsv, trigrams  # noqa: E402

ORDER = ["talks", "de_escalation", "escalation", "purchase"]
HERE = Path(__file__).resolve().parent



def source_texts(ref):
    """Cleaned texts that a row with this source_file may be cut from."""
    if "keyword_raw_0729_3.json" in ref:
        path, rest = ref.split(" id=")
        pid, fld = rest.split(" ")
        for ln in open(FIX / path, encoding="utf-8"):
            if ln.strip():
                r = json.loads(ln)
                if r["id"] == pid:
                    return [clean(r[fld])]
    if "/data/" in ref and ".json id=" in ref:
        path, rest = ref.split(" id=")
        pid = rest.split(" ")[0]
        for r in json.load(open(FIX / path, encoding="utf-8"))["result"]:
            if str(r["id"]) == pid:
                if rest.endswith(" comment"):
                    return [clean(c["text"]) for c in r.get("comments") or []]
                return [clean(r["text"])]
    if "GS66.txt line=" in ref:
        path, n = ref.split(" line=")
        return [clean(open(FIX / path, encoding="utf-8").read().split("\n")[int(n) - 1])]
    if "thucnews_titles/" in ref and " line=" in ref:
        path, n = ref.split(" line=")
        line = open(FIX / path, encoding="utf-8").read().split("\n")[int(n) - 1]
        return [clean(line.split("\t")[0])]
    if "summerone123_Sino-US-Trade-War/" in ref:
        out = []
        for ln in (FIX / ref).read_text(encoding="utf-8").split("\n"):
            if ln.startswith("title:") or ln.startswith("content:"):
                out.append(clean(ln.split(":", 1)[1].replace(" - 国际财经 - 至诚财经网", "")))
        return out
    raise ValueError("unknown source_file " + ref)


def main():
    dry = "--dry-run" in sys.argv
    train, test = read_tsv(LAB / "train.tsv"), read_tsv(LAB / "test.tsv")
    test_src = {r["source"] for r in test}
    train_txt = {r["text"] for r in train}
    extra = read_tsv(HERE / "extra_train_labels.tsv")
    old = [r["text"] for r in train + test]
    test_tg = [trigrams(r["text"]) for r in test]
    train_tg = [(trigrams(r["text"]), r["labels"]) for r in train]
    # longer new rows first, so that of two near-duplicate new rows the longer is kept
    order = sorted(range(len(extra)), key=lambda i: -len(extra[i]["text"]))
    keep, why = {}, {}
    kept_tg = []
    for i in order:
        r = extra[i]
        t = r["text"]
        if t in train_txt:
            why[i] = "already in train"
            continue
        assert "\t" not in t and "\n" not in t and t == re.sub(r"\s+", " ", t).strip(), r["cid"]
        assert any(t in s for s in source_texts(r["source_file"])), ("not a substring of its source", r["cid"])
        labs = r["labels"]
        if labs != "none":
            parts = labs.split(",")
            assert all(p in ORDER for p in parts) and parts == sorted(set(parts), key=ORDER.index), r["cid"]
        assert r["topic"] in ("", "third_country") and (r["topic"] == "" or labs == "none"), r["cid"]
        assert r["group"] in ("state_media", "hk_tw_overseas", "ministry", "weibo", "general"), r["cid"]
        if r["source"] in test_src:
            why[i] = "source in test"
            continue
        if any(t[:40] == h[:40] or t in h or h in t for h in old):
            why[i] = "duplicate of a train/test row"
            continue
        if any(t[:40] == extra[j]["text"][:40] or t in extra[j]["text"] or extra[j]["text"] in t for j in keep):
            why[i] = "duplicate of another new row"
            continue
        tg = trigrams(t)
        if any(near(tg, x) for x in test_tg):
            why[i] = "near-duplicate of a test row"
            continue
        if any(l == labs and near(tg, x) for x, l in train_tg) or any(l == labs and near(tg, x) for x, l in kept_tg):
            why[i] = "near-duplicate (same labels) of a train row or a longer new row"
            continue
        keep[i] = True
        kept_tg.append((tg, labs))
    new = [extra[i] for i in sorted(keep)]
    from collections import Counter
    print("labelled rows", len(extra), "| appended", len(new), "| skipped", dict(Counter(why.values())))
    if dry or not new:
        return
    with open(LAB / "train.tsv", "a", encoding="utf-8", newline="\n") as f:
        for r in new:
            f.write("\t".join([r["text"], r["labels"], r["source"], r["group"], r["topic"]]) + "\n")
    lines = open(LAB / "sources.tsv", encoding="utf-8").read().split("\n")
    assert lines[-1] == ""
    body = lines[1:-1]
    first_test = next(k for k, ln in enumerate(body) if ln.startswith("test\t"))
    add = [f"train\t{r['text'][:40]}\t{r['source_file']}" for r in new]
    body = body[:first_test] + add + body[first_test:]
    with open(LAB / "sources.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join([lines[0]] + body) + "\n")


if __name__ == "__main__":
    main()
