"""Extract candidate texts not yet in train.tsv / test.tsv, for reading and labelling by hand.

It only extracts, cleans and de-duplicates texts; it decides no label and suggests none.
Writes a TSV of candidates (cid, source_file, source, group, text) to the path given as argv[1]
(default /tmp/candidates.tsv), in the order: keyword_raw "myz" posts, EnrigleZ data/*.json posts,
GS66 answer lines mentioning trade (whole lines: the row is cut to 1-3 sentences by hand),
summerone123 content sentences.

Skipped: texts whose source occurs in test.tsv; texts that duplicate a train/test row (same first
40 characters after whitespace collapse, or one contained in the other) or another candidate;
texts that are a near-duplicate of a test row (character-trigram Jaccard >= 0.5, or >= 0.8 of the
shorter text's trigrams inside the other), so that assemble.py's clustering would not join the
new source to a test source; texts under 8 characters.
"""
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, __import__("os").path.dirname(__file__))
from common import FIX, LAB, clean, cut300, read_tsv  # noqa: E402
from find_origins import summer_site  # noqa: E402

BASE = "weibo_tradewar_2019/EnrigleZ_Weibo_TradeWar"
GS66 = "corpora/mfa_spokesperson_gengshuang/GS66.txt"
NEWS = "news_tradewar_2019/summerone123_Sino-US-Trade-War"
GS_KEYS = ["经贸", "关税", "贸易", "磋商", "采购", "大豆", "华为", "实体清单", "农产品", "出口管制", "制裁", "谈判"]


def trigrams(t):
    return {t[i:i + 3] for i in range(len(t) - 2)}


def near(a, b):
    if min(len(a), len(b)) < 12:
        return False
    inter = len(a & b)
    return inter / len(a | b) >= 0.5 or inter / min(len(a), len(b)) >= 0.8


def raw_candidates():
    p = f"{BASE}/data_elements/keyword_raw_0729_3.json"
    for ln in open(FIX / p, encoding="utf-8"):
        if not ln.strip():
            continue
        r = json.loads(ln)
        ref = f"{p} id={r['id']}"
        fld = "long_text" if r.get("long_text") else "text"
        yield f"{ref} {fld}", "myz-keyword-search", "weibo", r[fld]
        if r.get("origin_text"):
            src = "weibo:" + r["origin_user"] if r.get("origin_user") else "myz-keyword-search"
            yield f"{ref} origin_text", src, "weibo", r["origin_text"]
        if r.get("page_title"):
            yield f"{ref} page_title", "myz-keyword-search", "weibo", r["page_title"]
    for f in sorted((FIX / BASE / "data").glob("*.json")):
        d = json.load(open(f, encoding="utf-8"))
        for r in d["result"]:
            yield f"{BASE}/data/{f.name} id={r['id']}", "weibo:" + r["user"]["screen_name"], "weibo", r["text"]
    for n, ln in enumerate(open(FIX / GS66, encoding="utf-8"), 1):
        if any(k in ln for k in GS_KEYS):
            yield f"{GS66} line={n}", "mfa:耿爽", "ministry", ln
    for f in sorted((FIX / NEWS).glob("*.txt")):
        txt = f.read_text(encoding="utf-8")
        site = summer_site(f.name, txt)
        for ln in txt.split("\n"):
            if ln.startswith("content:"):
                body = clean(ln.split(":", 1)[1])
                for s in re.findall(r"[^。！？!?]+[。！？!?]?", body):
                    s = s.strip()
                    if len(s) >= 12:
                        yield f"{NEWS}/{f.name}", site, "state_media", s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/candidates.tsv"
    train, test = read_tsv(LAB / "train.tsv"), read_tsv(LAB / "test.tsv")
    test_src = {r["source"] for r in test}
    have = [re.sub(r"\s+", " ", r["text"]).strip() for r in train + test]
    test_tg = [trigrams(r["text"]) for r in test]
    kept, skipped = [], {"test source": 0, "duplicate": 0, "near test": 0, "short/uncut": 0}

    def dup(t, pool):
        return any(t[:40] == h[:40] or t in h or h in t for h in pool)

    for ref, src, grp, raw in raw_candidates():
        t = clean(raw)
        if not ref.startswith(GS66) and "summerone123" not in ref:
            t = cut300(t)
        if not t or len(t) < 8:
            skipped["short/uncut"] += 1
            continue
        if src in test_src:
            skipped["test source"] += 1
            continue
        if dup(t, have) or dup(t, [k[4] for k in kept]):
            skipped["duplicate"] += 1
            continue
        tg = trigrams(t)
        if any(near(tg, x) for x in test_tg):
            skipped["near test"] += 1
            continue
        kept.append((f"c{len(kept):04d}", ref, src, grp, t))
    with open(out, "w", encoding="utf-8") as f:
        for k in kept:
            f.write("\t".join(k) + "\n")
    print("candidates", len(kept), skipped)


if __name__ == "__main__":
    main()
