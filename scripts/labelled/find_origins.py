"""One-off helper (kept for the record): find where each row of the labelled set as it
stood before the source split (main @ 224828e: train.tsv + test.tsv, 989 rows) came from,
by searching the cleaned fixture texts for the row's text. Writes
tests/fixtures/labelled/labelled_v1.tsv: old split, text, labels, source_file, source,
group, with topic left empty (topic was then filled in by hand, by reading).

It only matches texts. It does not touch labels.
"""
import csv
import json
import re
import subprocess
import sys
from collections import defaultdict

sys.path.insert(0, __import__("os").path.dirname(__file__))
from common import FIX, LAB, REPO, clean, read_tsv, timeline_posts  # noqa: E402

OLD = "224828e"


def norm(t):
    return re.sub(r"\s+", "", t)


def catalogue():
    docs = []  # (ref, source, group, cleaned text)
    p = "corpora/mfa_spokesperson_gengshuang/GS66.txt"
    for n, ln in enumerate(open(FIX / p, encoding="utf-8"), 1):
        docs.append((f"{p} line={n}", "mfa:耿爽", "ministry", clean(ln)))
    base = "weibo_tradewar_2019/EnrigleZ_Weibo_TradeWar"
    for f in sorted((FIX / base / "data").glob("*.json")):
        d = json.load(open(f, encoding="utf-8"))
        for r in d["result"]:
            ref = f"{base}/data/{f.name} id={r['id']}"
            docs.append((ref, "weibo:" + r["user"]["screen_name"], "weibo", clean(r["text"])))
            for c in r.get("comments") or []:
                docs.append((ref + " comment", "weibo:" + c["user"]["screen_name"], "weibo", clean(c["text"])))
    p = f"{base}/data_elements/keyword_raw_0729_3.json"
    for ln in open(FIX / p, encoding="utf-8"):
        if not ln.strip():
            continue
        r = json.loads(ln)
        ref = f"{p} id={r['id']}"
        for fld in ("long_text", "text"):
            if r.get(fld):
                docs.append((f"{ref} {fld}", "myz-keyword-search", "weibo", clean(r[fld])))
        if r.get("origin_text"):
            src = "weibo:" + r["origin_user"] if r.get("origin_user") else "myz-keyword-search"
            docs.append((f"{ref} origin_text", src, "weibo", clean(r["origin_text"])))
        if r.get("page_title"):
            docs.append((f"{ref} page_title", "myz-keyword-search", "weibo", clean(r["page_title"])))
    p = f"{base}/timeline.trim.csv"
    with open(FIX / p, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            docs.append((f"{p} time={r['time']}", "timeline.trim.csv", "general", clean(r["event"])))
    nb = "news_tradewar_2019/summerone123_Sino-US-Trade-War"
    for f in sorted((FIX / nb).glob("*.txt")):
        txt = f.read_text(encoding="utf-8")
        site = summer_site(f.name, txt)
        for ln in txt.split("\n"):
            if ln.startswith("title:") or ln.startswith("content:"):
                body = ln.split(":", 1)[1].replace(" - 国际财经 - 至诚财经网", "")
                docs.append((f"{nb}/{f.name}", site, "state_media", clean(body)))
    for name, pid, text in timeline_posts():
        acct = name.split("_")[0]
        sub = "weiss0106_weibo-crawler" if acct == "人民日报" else "HolyCaonima_weibo-crawler"
        docs.append((f"weibo_crawler_outputs/{sub}/{name} id={pid}", "weibo:" + acct, "weibo", clean(text)))
    p = "corpora/weibo_senti_100k_subset/weibo_senti_100k_subset2400.csv"
    with open(FIX / p, encoding="utf-8", newline="") as f:
        for n, r in enumerate(csv.reader(f), 1):
            if n > 1:
                docs.append((f"{p} row={n}", "weibo_senti", "general", clean(r[1])))
    for part in ("test.txt", "dev.txt"):
        p = f"corpora/thucnews_titles/{part}"
        for n, ln in enumerate(open(FIX / p, encoding="utf-8"), 1):
            docs.append((f"{p} line={n}", "thucnews", "general", clean(ln.split("\t")[0])))
    return docs


SITES = {  # read off each article's text (source line, lead, or credit)
    "2019-05-16＠中美贸易战加剧之际": "彭博环球财经",
    "2019-05-16＠中美贸易战升级": "铝道网",
    "2019-05-20＠中美贸易战没有": "环球网",
    "2019-06-01＠2019中美贸易战最新消息-美国301": "雨果网",
    "2019-06-18＠投资者提问": "新浪财经",
}


def summer_site(fname, txt):
    if "至诚财经网" in fname:
        return "至诚财经网"
    if "综投网" in txt or "zt5.com" in txt:
        return "综投网"
    for k, v in SITES.items():
        if fname.startswith(k):
            return v
    return "summerone123:" + fname[:-4][:24]  # site not named in the text: one source per file


def old_rows():
    rows = []
    for sp in ("train", "test"):
        txt = subprocess.run(["git", "-C", str(REPO), "show", f"{OLD}:tests/fixtures/labelled/{sp}.tsv"],
                             capture_output=True, text=True, check=True).stdout
        for ln in txt.split("\n")[1:]:
            if ln:
                t, lab = ln.split("\t")
                rows.append((sp, t, lab))
    return rows


def main():
    docs = catalogue()
    ndocs = [(d, norm(d[3])) for d in docs]
    old_src = defaultdict(list)
    txt = subprocess.run(["git", "-C", str(REPO), "show", f"{OLD}:tests/fixtures/labelled/sources.tsv"],
                         capture_output=True, text=True, check=True).stdout
    for ln in txt.split("\n")[1:]:
        if ln:
            sp, pre, ref = ln.split("\t")
            old_src[pre].append(ref)
    keep = {}  # topic (and group overrides) were filled in by hand: keep them on a re-run
    if (LAB / "labelled_v1.tsv").exists():
        for r in read_tsv(LAB / "labelled_v1.tsv"):
            keep[r["text"]] = (r["group"], r["topic"])
    out = []
    miss = 0
    for sp, t, lab in old_rows():
        nt = norm(t)
        hits = [d for d, nd in ndocs if nt in nd]
        refs = old_src.get(t[:40], [])
        pick = None
        for d in hits:  # prefer the file sources.tsv names
            if any(d[0] == r or d[0].startswith(r.split(" (")[0]) for r in refs):
                pick = d
                break
        if pick is None and hits:
            # prefer an original over a repost: GS66 / news / timeline, else the first hit
            pick = hits[0]
        if pick is None:
            miss += 1
            out.append((sp, t, lab, "?", "?", "?"))
        else:
            grp = keep.get(t, (pick[2], ""))[0]
            out.append((sp, t, lab, pick[0], pick[1], grp))
    with open(LAB / "labelled_v1.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("old_split\ttext\tlabels\tsource_file\tsource\tgroup\ttopic\n")
        for r in out:
            f.write("\t".join(r) + "\t" + keep.get(r[1], ("", ""))[1] + "\n")
    print("rows", len(out), "unmatched", miss)


if __name__ == "__main__":
    main()
