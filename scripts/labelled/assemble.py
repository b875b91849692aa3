"""Assemble tests/fixtures/labelled/{train,test,sources}.tsv from the label files.

Inputs (all in tests/fixtures/labelled/, all decided by reading, see PROVENANCE.md):
  labelled_v1.tsv           the 989 rows labelled before, with origin, source, group, topic
  trade_texts_2_labels.tsv  labels, source, group, topic for shared/fixtures/trade_texts_2.tsv
  timelines.tsv             a label for every post of the three fixture timelines
Texts are read from /work/shared/fixtures (trade_texts_2.tsv and the timeline files).

Split rule: by source. Sources that share a near-duplicate text (character-trigram Jaccard
>= 0.5, or >= 0.8 of the shorter text's trigrams inside the other; texts with fewer than 12
trigrams are not compared) are joined into one
cluster, and a cluster goes wholly to one side. A few big sources are placed by hand
(FIXED below); the rest are placed by a seeded search that looks only at each row's labels
and group (never at a classifier's output). Run: python3 scripts/labelled/assemble.py
"""
import random
import sys
from collections import Counter, defaultdict

sys.path.insert(0, __import__("os").path.dirname(__file__))
from common import FIX, LAB, clean, cut300, read_tsv, timeline_posts  # noqa: E402

ORDER = ["talks", "de_escalation", "escalation", "purchase"]
LABELS = ORDER + ["none"]
ACCT_SIDE = {"人民日报": "train", "央视新闻": "test", "头条新闻": "test"}
FIXED = {
    # the timelines: 人民日报 trains, 央视新闻 and 头条新闻 are the whole-timeline test
    "weibo:人民日报": "train", "weibo:央视新闻": "test", "weibo:头条新闻": "test",
    # big single sources, placed by hand so the test side is not one speaker or one corpus
    "mfa:耿爽": "train", "myz-keyword-search": "train", "thucnews": "train", "综投网": "train",
    "timeline.trim.csv": "test", "weibo_senti": "test", "至诚财经网": "test", "udn.com": "test",
}
SEED_RANGE = range(1, 2001)
TARGET = 0.35  # wanted share of non-timeline rows in test
P_FREE = 0.5  # chance that a free cluster goes to test (the fixed sources are mostly train)


def norm_labels(s):
    if s in ("none", "ambiguous"):
        return s
    parts = s.split(",")
    assert all(p in ORDER for p in parts), s
    return ",".join(sorted(set(parts), key=ORDER.index))


def load():
    rows = []  # dict: text labels source group topic source_file timeline(bool)
    seen = set()
    v1_posts = set()
    for r in read_tsv(LAB / "labelled_v1.tsv"):
        tl = r["source_file"].startswith("weibo_crawler_outputs/")
        if tl:
            v1_posts.add(r["source_file"].split("/")[-1])  # "<file> id=<id>"
        rows.append(dict(text=r["text"], labels=norm_labels(r["labels"]), source=r["source"],
                         group=r["group"], topic=r["topic"], source_file=r["source_file"], timeline=tl))
        seen.add(r["text"])
    tt2 = {r["id"]: r for r in read_tsv(FIX / "trade_texts_2.tsv")}
    for r in read_tsv(LAB / "trade_texts_2_labels.tsv"):
        if r["labels"] == "ambiguous":
            continue
        t = clean(tt2[r["id"]]["text"])
        if t in seen:
            continue
        seen.add(t)
        rows.append(dict(text=t, labels=norm_labels(r["labels"]), source=r["source"], group=r["group"],
                         topic=r["topic"], source_file=f"trade_texts_2.tsv id={r['id']}", timeline=False))
    lab = {(r["file"], r["id"]): r["labels"] for r in read_tsv(LAB / "timelines.tsv")}
    dropped = Counter()
    for name, pid, raw in timeline_posts():
        acct = name.split("_")[0]
        sub = "weiss0106_weibo-crawler" if acct == "人民日报" else "HolyCaonima_weibo-crawler"
        l = lab[(name, pid)]
        if l == "ambiguous":
            dropped["ambiguous"] += 1
            continue
        if f"{name} id={pid}" in v1_posts:
            dropped["already labelled before"] += 1
            continue
        t = cut300(clean(raw))
        if not t:
            dropped["empty or no sentence end in 300 chars"] += 1
            continue
        if t in seen:
            dropped["exact duplicate"] += 1
            continue
        seen.add(t)
        rows.append(dict(text=t, labels=norm_labels(l), source="weibo:" + acct, group="weibo", topic="",
                         source_file=f"weibo_crawler_outputs/{sub}/{name} id={pid}", timeline=True))
    return rows, dropped


def trigrams(t):
    return {t[i:i + 3] for i in range(len(t) - 2)}


def near_dup_pairs(rows):
    tg = [trigrams(r["text"]) for r in rows]
    idx = defaultdict(set)
    for i, s in enumerate(tg):
        for g in s:
            idx[g].add(i)
    pairs = []
    for i, s in enumerate(tg):
        if not s:
            continue
        cand = Counter()
        for g in s:
            if len(idx[g]) > 300:  # very common trigrams say nothing
                continue
            for j in idx[g]:
                if j > i:
                    cand[j] += 1
        for j in cand:
            if not tg[j]:
                continue
            inter = len(s & tg[j])
            if min(len(s), len(tg[j])) < 12:  # a few characters ("转发微博") match anything
                continue
            if inter / len(s | tg[j]) >= 0.5 or inter / min(len(s), len(tg[j])) >= 0.8:
                pairs.append((i, j))
    return pairs


def clusters(rows, pairs):
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in rows:
        find(r["source"])
    for i, j in pairs:
        a, b = find(rows[i]["source"]), find(rows[j]["source"])
        if a != b:
            parent[b] = a
    members = defaultdict(set)
    for s in list(parent):
        members[find(s)].add(s)
    return {s: find(s) for s in parent}, members


def stats(rows, side_of):
    st = {"train": Counter(), "test": Counter()}
    for r in rows:
        c = st[side_of[r["source"]]]
        c["rows"] += 1
        if not r["timeline"]:
            c["nt_rows"] += 1
        for l in r["labels"].split(","):
            c[l] += 1
        c["g:" + r["group"]] += 1
        if r["group"] == "hk_tw_overseas":
            c["hk_src:" + r["source"]] += 1
    return st


def score(rows, side_of):
    st = stats(rows, side_of)
    tr, te = st["train"], st["test"]
    share = te["nt_rows"] / (te["nt_rows"] + tr["nt_rows"])
    ok = 0.30 <= share <= 0.40
    ok &= all(te[l] >= 15 for l in ORDER) and tr["purchase"] >= 12
    ok &= all(tr["g:" + g] > 0 and te["g:" + g] > 0 for g in
              ("state_media", "hk_tw_overseas", "ministry", "weibo", "general"))
    ok &= sum(1 for k in te if k.startswith("hk_src:")) >= 5 and sum(1 for k in tr if k.startswith("hk_src:")) >= 5
    # closer to the target share, and the purchase rows spread as evenly as possible
    return ok, abs(share - TARGET) + 0.01 * abs(te["purchase"] - tr["purchase"])


def split(rows):
    pairs = near_dup_pairs(rows)
    root_of, members = clusters(rows, pairs)
    fixed_root = {}
    for s, side in FIXED.items():
        if s in root_of:
            r = root_of[s]
            assert fixed_root.get(r, side) == side, f"near-duplicates join {s} with a source fixed to the other side"
            fixed_root[r] = side
    for r in rows:  # timeline accounts are fixed too
        if r["timeline"]:
            side = ACCT_SIDE[r["source"].split(":")[1]]
            assert fixed_root.get(root_of[r["source"]], side) == side, r["source"]
            fixed_root[root_of[r["source"]]] = side
    free = sorted(root for root in members if root not in fixed_root)
    best = None
    for seed in SEED_RANGE:
        rng = random.Random(seed)
        side_root = dict(fixed_root)
        for root in free:
            side_root[root] = "test" if rng.random() < P_FREE else "train"
        side_of = {s: side_root[root_of[s]] for s in root_of}
        ok, sc = score(rows, side_of)
        if ok and (best is None or sc < best[0]):
            best = (sc, seed, side_of)
    assert best, "no seed meets the constraints"
    return best[1], best[2], pairs, members, root_of


def write(rows, side_of):
    for side in ("train", "test"):
        with open(LAB / f"{side}.tsv", "w", encoding="utf-8", newline="\n") as f:
            f.write("text\tlabels\tsource\tgroup\ttopic\n")
            for r in rows:
                if side_of[r["source"]] == side:
                    assert "\t" not in r["text"] and "\n" not in r["text"]
                    f.write("\t".join([r["text"], r["labels"], r["source"], r["group"], r["topic"]]) + "\n")
    with open(LAB / "sources.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("split\ttext_prefix_40\tsource_file\n")
        for side in ("train", "test"):
            for r in rows:
                if side_of[r["source"]] == side:
                    f.write(f"{side}\t{r['text'][:40]}\t{r['source_file']}\n")


def report(rows, side_of, seed, dropped, pairs, members):
    print("seed", seed, "| timeline posts not used:", dict(dropped))
    print("near-duplicate pairs across sources:", sum(1 for i, j in pairs if rows[i]["source"] != rows[j]["source"]),
          "| multi-source clusters:", sum(1 for m in members.values() if len(m) > 1))
    st = stats(rows, side_of)
    for side in ("train", "test"):
        c = st[side]
        print(side, "rows", c["rows"], "non-timeline", c["nt_rows"], "timeline", c["rows"] - c["nt_rows"])
        print("  labels", {l: c[l] for l in LABELS})
    tot_nt = st["train"]["nt_rows"] + st["test"]["nt_rows"]
    print("test share of non-timeline rows: %.3f" % (st["test"]["nt_rows"] / tot_nt))
    grp = defaultdict(Counter)
    for r in rows:
        grp[(r["group"], side_of[r["source"]])]["rows"] += 1
        grp[(r["group"], side_of[r["source"]])]["sources:" + r["source"]] += 1
        for l in r["labels"].split(","):
            grp[(r["group"], side_of[r["source"]])][l] += 1
    for (g, side), c in sorted(grp.items()):
        nsrc = sum(1 for k in c if k.startswith("sources:"))
        print(f"  {g:15s} {side:5s} rows {c['rows']:4d} sources {nsrc:3d} ", {l: c[l] for l in LABELS})
    multi = Counter(r["labels"] for r in rows if "," in r["labels"])
    print("multi-label:", dict(multi))
    print("topic third_country:", Counter(side_of[r["source"]] for r in rows if r["topic"] == "third_country"))
    test_src = sorted({r["source"] for r in rows if side_of[r["source"]] == "test"})
    print("test sources (%d):" % len(test_src), ", ".join(test_src))


def main():
    rows, dropped = load()
    seed, side_of, pairs, members, _ = split(rows)
    write(rows, side_of)
    report(rows, side_of, seed, dropped, pairs, members)


if __name__ == "__main__":
    main()
