#!/usr/bin/env python3
"""Builds the demo's Weibo API responses (src/demo/*.json) from real posts in ../shared/fixtures.

The texts, ids and times are real (see src/demo/PROVENANCE.md); only the envelope is rebuilt in
the m.weibo.cn getIndex format, since the crawlers saved processed posts, not raw responses.
Run from the repository root: python3 scripts/build-demo-fixtures.py ../shared/fixtures
"""
import json, sys, datetime, glob, os, html

fx = sys.argv[1] if len(sys.argv) > 1 else "../shared/fixtures"
out = "src/demo"

def weibo_time(dt):
    return dt.strftime("%a %b %d %H:%M:%S +0800 %Y")

def card(mid, bid, uid, name, text_html, created, long_text=False):
    return {"card_type": 9, "itemid": f"107603{uid}_-_{mid}",
            "profile_type_id": f"proweibo_{mid}",
            "scheme": f"https://m.weibo.cn/status/{bid}?mblogid={bid}",
            "mblog": {"created_at": created, "id": str(mid), "mid": str(mid), "bid": bid,
                      "text": text_html, "isLongText": long_text, "mblogtype": 0,
                      "edit_count": 0, "pic_num": 0, "pics": [],
                      "reposts_count": 0, "comments_count": 0, "attitudes_count": 0,
                      "user": {"id": int(uid), "screen_name": name, "verified": True, "verified_type": 3}}}

def envelope(uid, cards):
    return {"ok": 1, "data": {"cardlistInfo": {"containerid": f"107603{uid}", "v_p": 42, "show_style": 1,
            "total": len(cards), "since_id": 0}, "cards": cards,
            "scheme": f"sinaweibo://cardlist?containerid=107603{uid}", "showAppTips": 0}}

def to_html(text):
    return html.escape(text, quote=False).replace("\n", "<br />")

# 1. @央视新闻: 12 real posts of 2024-11-26, incl. the two on the 10% tariff threat.
d = json.load(open(f"{fx}/weibo_crawler_outputs/HolyCaonima_weibo-crawler/央视新闻_2656274875.json"))
uid, name = "2656274875", "央视新闻"
day = [w for w in d["weibo"] if w["created_at"].startswith("2024-11-26")]
trade = [w for w in day if "关税" in w["text"]]
posts = sorted(trade + [w for w in day if w not in trade][:10], key=lambda w: w["created_at"], reverse=True)
cards, extends = [], {}
for w in posts:
    dt = datetime.datetime.fromisoformat(w["created_at"])
    text = w["text"]
    long_text = len(text) > 140
    if long_text:
        # The list view carries a cut preview; the full text comes from statuses/extend.
        preview = to_html(text[:120]) + f'...<a href="/status/{w["bid"]}">全文</a>'
        extends[str(w["id"])] = {"ok": 1, "data": {"ok": 1, "longTextContent": to_html(text)}}
        cards.append(card(w["id"], w["bid"], uid, name, preview, weibo_time(dt), True))
    else:
        cards.append(card(w["id"], w["bid"], uid, name, to_html(text), weibo_time(dt)))
json.dump(envelope(uid, cards), open(f"{out}/cctv_getindex.json", "w"), ensure_ascii=False, indent=1)
json.dump(extends, open(f"{out}/cctv_extend.json", "w"), ensure_ascii=False, indent=1)

# 2. 2019 trade-war posts by media accounts (verified_type 3), from EnrigleZ's keyword crawl.
uid2 = "1000000001"
sel, seen = [], set()
for f in sorted(glob.glob(f"{fx}/weibo_tradewar_2019/EnrigleZ_Weibo_TradeWar/data/*.json")):
    for r in json.load(open(f))["result"]:
        u = r.get("user") or {}
        if u.get("verified_type") != 3 or r["id"] in seen or len(r["text"]) > 600:
            continue
        if not r["created_at"].count("-") == 1:   # "MM-DD" = 2019
            continue
        seen.add(r["id"])
        sel.append(r)
sel = sel[:14]
cards2 = []
for r in sel:
    m, dd = r["created_at"].split("-")
    dt = datetime.datetime(2019, int(m), int(dd), 12, 0, 0)
    c = card(r["id"], "", r["user"]["id"], r["user"]["screen_name"], r["text"], weibo_time(dt))
    c["scheme"] = f"https://m.weibo.cn/status/{r['id']}"
    cards2.append(c)
json.dump(envelope(uid2, cards2), open(f"{out}/media2019_getindex.json", "w"), ensure_ascii=False, indent=1)
print(len(cards), "cctv cards,", len(extends), "long texts;", len(cards2), "2019 media cards")
