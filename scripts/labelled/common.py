"""Shared helpers for the labelled-set scripts: the cleaning steps of
tests/fixtures/labelled/PROVENANCE.md ("Cleaning") and readers for the fixture files.

Scripts here only extract, clean, match and assemble texts. No script decides a label.
"""
import csv
import html
import json
import re
from pathlib import Path

FIX = Path("/work/shared/fixtures")
REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "tests/fixtures/labelled"

SENT_END = "。！？!?；…"


def clean(text: str) -> str:
    """PROVENANCE.md cleaning steps 1-4."""
    t = re.sub(r"<br\s*/?>", " ", text, flags=re.I)
    t = re.sub(r"<img[^>]*>", "", t, flags=re.I)  # emoticons with their alt text
    t = re.sub(r"<[^>]+>", "", t)  # other tags, keep inner text
    t = html.unescape(t)
    t = t.replace("\ufeff", "").replace("\u200b", "").replace("\xa0", " ")
    t = re.sub(r"https?://\S+", "", t)
    t = re.sub(r"t\.cn/\S+", "", t)
    t = re.sub(r"[（(]www\.[^）)]*[）)]", "", t)
    t = t.replace("网页链接", "")
    t = re.sub(r"\s+", " ", t).strip()
    return t


def cut300(t: str):
    """Step 5: cut a text over 300 chars after the last sentence end within 300.
    Returns None when there is no sentence end (such texts are not used)."""
    if len(t) <= 300:
        return t
    head = t[:300]
    pos = max(head.rfind(c) for c in SENT_END)
    if pos < 0:
        return None
    return head[: pos + 1].strip()


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    hdr = lines[0].split("\t")
    out = []
    for ln in lines[1:]:
        if ln:
            out.append(dict(zip(hdr, ln.split("\t"))))
    return out


def timeline_posts():
    """(file name, id, raw text) for the three fixture timelines, in file order."""
    base = FIX / "weibo_crawler_outputs"
    name = "人民日报_2803301701.csv"
    with open(base / "weiss0106_weibo-crawler" / name, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            yield name, r["id"].strip(), r["正文"]
    for name in ["央视新闻_2656274875.json", "头条新闻_1618051664.json"]:
        d = json.load(open(base / "HolyCaonima_weibo-crawler" / name, encoding="utf-8"))
        for w in d["weibo"]:
            yield name, str(w["id"]), w["text"]


# Near-duplicates by character trigrams: Jaccard >= 0.5, or >= 0.8 of the shorter text's
# trigrams inside the other (texts under 12 trigrams are never near).
def trigrams(t):
    return {t[i:i + 3] for i in range(len(t) - 2)}


def near(a, b):
    if min(len(a), len(b)) < 12:
        return False
    inter = len(a & b)
    return inter / len(a | b) >= 0.5 or inter / min(len(a), len(b)) >= 0.8
