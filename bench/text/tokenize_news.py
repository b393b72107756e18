#!/usr/bin/env python3
"""tokenize_news.py DIR — print the text of the news articles in DIR (fa-news-dev's *.json):
for each article its title, abstract, each paragraph and its tags, one line each (line breaks
inside a field become spaces). The input of bench/text/tokenize_run.sh."""
import json
import os
import sys


def fields(article):
    """The article's text fields in reading order."""
    yield article.get("title") or ""
    yield article.get("abstract") or ""
    yield from article.get("paragraphs") or []
    yield " ".join(article.get("tags") or [])


def main():
    folder = sys.argv[1]
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for article in json.load(f):
                for text in fields(article):
                    print(text.replace("\n", " "))


if __name__ == "__main__":
    main()
