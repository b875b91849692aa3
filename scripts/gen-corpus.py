#!/usr/bin/env python3
"""Writes a deterministic weibo-crawler corpus (CSV, or with --format json the crawler's JSON
document `{"user": {...}, "weibo": [...]}` on one line, as weibo-crawler writes it) for
scripts/bench-history.sh and the import memory figures.

Posts are real sentences recombined with a seeded RNG: the sentences of the real @央视新闻 and
@人民日报 crawler archives in tests/fixtures/import/ and of the hand-labelled set in
tests/fixtures/labelled/ (see tests/fixtures/PROVENANCE.md). About 6% of the posts carry a whole
labelled trade-signal text (talks, de-escalation, escalation, purchase), the rest are 2-6
general sentences. Times are spread over 2019-2025; each id is a Weibo mid that encodes its
post's second, as real mids do. Same arguments, same bytes.

usage: gen-corpus.py --posts 1000000 --seed 20190510 --out corpus_1000000001.csv
       gen-corpus.py --posts 1000000 --format json --out bench_1000000001.json
The JSON holds the same posts as the CSV of the same arguments, written as they are made
(never whole in memory).
"""

import json

import argparse
import csv
import datetime
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = (
    "id,bid,正文,头条文章url,原始图片url,视频url,位置,日期,工具,点赞数,评论数,转发数,话题,@用户,"
    "完整日期,是否原创,源用户id,源用户昵称,源微博id,源微博bid,源微博正文,源微博头条文章url,"
    "源微博原始图片url,源微博视频url,源微博位置,源微博日期,源微博工具,源微博点赞数,源微博评论数,"
    "源微博转发数,源微博话题,源微博@用户,源微博完整日期"
).split(",")
SPLIT = re.compile(r"(?<=[。！？!?…】])|\n")
BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
TOOLS = ["微博 weibo.com", "微博视频号", "iPhone客户端", "央视新闻客户端", "人民日报客户端"]


def sentences(text):
    out = []
    for s in SPLIT.split(text):
        s = s.strip()
        if 8 <= len(s) <= 120:
            out.append(s)
    return out


def load():
    general, trade = [], []
    for name in ["央视新闻_2656274875.csv", "人民日报_2803301701.csv"]:
        with open(ROOT / "tests/fixtures/import" / name, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                general.extend(sentences(row.get("正文") or ""))
    for name in ["train.tsv", "test.tsv"]:
        with open(ROOT / "tests/fixtures/labelled" / name, encoding="utf-8") as f:
            next(f)
            for line in f:
                # text<TAB>labels<TAB>source<TAB>group<TAB>topic
                parts = line.rstrip("\n").split("\t")
                text, labels = parts[0], parts[1] if len(parts) > 1 else ""
                if labels.strip() in ("", "none"):
                    general.extend(sentences(text))
                elif 20 <= len(text) <= 300:
                    trade.append(text)
    # Sorted before sampling so the corpus does not depend on file order quirks.
    return sorted(set(general)), sorted(set(trade))


def bid(n):
    s = ""
    while n:
        n, r = divmod(n, 62)
        s = BASE62[r] + s
    return s or "0"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20190510)
    ap.add_argument("--trade-share", type=float, default=0.06)
    ap.add_argument("--out", required=True)
    ap.add_argument("--format", choices=["csv", "json"], default="csv")
    a = ap.parse_args()
    general, trade = load()
    rng = random.Random(a.seed)
    start = int(datetime.datetime(2019, 1, 1, tzinfo=datetime.timezone.utc).timestamp())
    end = int(datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc).timestamp())
    times = sorted((rng.randrange(start, end) for _ in range(a.posts)), reverse=True)
    bj = datetime.timezone(datetime.timedelta(hours=8))
    seen = set()

    def posts():
        for t in times:
            while True:
                mid = ((t - 515483463) << 22) | rng.getrandbits(22)
                if mid not in seen:
                    seen.add(mid)
                    break
            if rng.random() < a.trade_share:
                parts = [rng.choice(trade)]
                if rng.random() < 0.5:
                    parts.append(rng.choice(general))
            else:
                parts = [rng.choice(general) for _ in range(rng.randint(2, 6))]
            text = "".join(parts)[:400]
            local = datetime.datetime.fromtimestamp(t, bj)
            tool = rng.choice(TOOLS)
            counts = [rng.randint(0, 5000) for _ in range(3)]
            yield mid, text, local, tool, counts

    if a.format == "csv":
        with open(a.out, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            for mid, text, local, tool, counts in posts():
                row = [""] * len(HEADER)
                row[0] = f"{mid}\t"
                row[1] = bid(mid)
                row[2] = text
                row[7] = local.strftime("%Y-%m-%dT%H:%M:%S")
                row[8] = tool
                row[9], row[10], row[11] = (str(c) for c in counts)
                row[14] = local.strftime("%Y-%m-%d %H:%M:%S")
                row[15] = "True"
                w.writerow(row)
    else:
        # weibo-crawler's `json.dump(result, f, ensure_ascii=False)`: one line, user first.
        uid = 1000000001
        user = {"id": str(uid), "screen_name": "bench", "statuses_count": a.posts}
        with open(a.out, "w", encoding="utf-8") as f:
            f.write('{"user": ' + json.dumps(user, ensure_ascii=False) + ', "weibo": [')
            for i, (mid, text, local, tool, counts) in enumerate(posts()):
                post = {
                    "user_id": uid, "screen_name": "bench", "id": mid, "bid": bid(mid),
                    "text": text, "article_url": "", "pics": "", "video_url": "",
                    "location": "", "created_at": local.strftime("%Y-%m-%dT%H:%M:%S"),
                    "source": tool, "attitudes_count": counts[0], "comments_count": counts[1],
                    "reposts_count": counts[2], "topics": "", "at_users": "",
                    "full_created_at": local.strftime("%Y-%m-%d %H:%M:%S"),
                }
                f.write((", " if i else "") + json.dumps(post, ensure_ascii=False))
            f.write("]}")
    print(f"{a.posts} posts ({len(general)} general sentences, {len(trade)} trade texts) -> {a.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
