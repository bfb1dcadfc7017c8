"""Building the website: every page type, the JSON, the feed, incremental rebuilds, git timelines."""

from __future__ import annotations

import datetime
import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urldefrag, urljoin

import pytest

from searchhelpers import files_of, index_of
from sitehelpers import CORPUS, build, copy_fixtures, git, history_repo, many_peps, set_status

from pepctl.config import Config
from pepctl.site import cache

ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = datetime.date(2024, 3, 20)

@pytest.fixture
def site(tmp_path):
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "out"
    result = build(folder, out, today=TODAY)
    return folder, out, result


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def main_of(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


# -- pages ----------------------------------------------------------------------------


def test_every_pep_file_gets_a_page(site):
    folder, out, result = site
    names = sorted(p.stem for p in folder.glob("PEP-*.md"))
    assert sorted(p.stem for p in (out / "pep").glob("*.html")) == names
    assert result.pages == len(names) == result.rendered
    for rel in ("index.html", "dashboard.html", "search.html", "404.html", "api/peps.json", "feed.xml",
                "search/manifest.json", "static/site.css", "static/site.js", "static/search.js", "static/pygments.css"):
        assert (out / rel).is_file(), rel


def test_index_links_each_status_under_review_first(site):
    _, out, _ = site
    page = read(out, "index.html")
    nav = page[page.index('<nav class="status-nav"'):page.index("</nav>", page.index('<nav class="status-nav"'))]
    links = re.findall(r'<a class="badge status-([a-z-]+)" href="([^"]+)" data-status="([^"]+)">[^<]+'
                       r'<span class="count">(\d+)</span></a>', nav)
    assert [slug for slug, _, _, _ in links] == ["under-review", "draft", "accepted", "declined", "deferred",
                                                   "withdrawn", "active", "unreadable"]
    review = links[0]
    assert review[1] == "index.html?status=Under+Review#all-peps" and review[2] == "Under Review"
    rows = re.findall(r"<tr data-n=[^>]*>(.*?)</tr>", page, re.S)
    for _, _, status, count in links:  # each link's count is the number of rows in its status
        assert int(count) == sum(1 for cells in rows if f">{status}</td>" in cells), status
    # each PEP is listed once: the table is the only list of them
    assert page.count('href="pep/PEP-0001-alpha.html"') == 1


def test_index_table_lists_every_pep_with_its_columns(site):
    folder, out, _ = site
    page = read(out, "index.html")
    table = page[page.index('<table class="pep-table"'):page.index("</table>")]
    rows = re.findall(r'<tr data-n="(-?\d+)" data-o="(\d+)">(.*?)</tr>', table, re.S)
    assert len(rows) == len(list(folder.glob("PEP-*.md")))
    alpha = next(cells for number, rank, cells in rows if number == "1")
    assert "Alpha streaming cache" in alpha and "Under Review" in alpha and "Ada Lovelace" in alpha
    assert "2024-01-10" in alpha
    # the filters show only when scripts run (theme.js marks the page): the table alone works without
    assert '<div class="filters" id="pep-filters">' in page
    assert ".filters { display: none;" in read(out, "static/site.css") and ".js .filters { display: flex; }" in \
        read(out, "static/site.css")
    options = re.findall(r'<option value="([^"]*)">', page)
    assert options[0] == "" and "Declined" in options and "Under Review" in options


def test_pep_page_has_metadata_card_and_badge(site):
    _, out, _ = site
    page = read(out, "pep/PEP-0001-alpha.html")
    assert "<title>PEP-0001: Alpha streaming cache · " in page
    card = page[page.index('<dl class="fields">'):page.index("</dl>")]
    # the status shows once, as the badge beside the number, above the card
    assert "<dt>Status</dt>" not in card
    assert page.count('<span class="badge status-under-review">Under Review</span>') == 1
    header = page[page.index('<header class="pep-header">'):page.index("</header>", page.index('<header class="pep-header">'))]
    assert '<p class="pep-number">PEP-0001 <span class="badge status-under-review">Under Review</span></p>' in header
    assert 'href="https://github.com/ada"' in card and 'href="https://github.com/bob-b"' in card
    assert "<dt>Sponsor</dt>" in card and "<dt>Created</dt><dd>2024-01-10</dd>" in card
    assert "Target Release" not in card  # a template hint is no value
    body = main_of(page)
    assert '<a href="../pep/PEP-0002-beta.html#rationale"' in body
    assert '<h2 id="motivation">' in body
    assert '<nav class="toc"' in page


@pytest.mark.parametrize("file, kind, words", [
    ("PEP-0002-beta.md", "superseded", "superseded by"),
    ("PEP-0005-withdrawn.md", "withdrawn", "withdrew"),
    ("PEP-0006-deferred.md", "deferred", "deferred"),
])
def test_banners_for_finished_proposals(site, file, kind, words):
    _, out, _ = site
    page = read(out, f"pep/{file[:-3]}.html")
    banner = re.search(rf'<div class="banner banner-{kind}" role="note">(.*?)</div>', page, re.S)
    assert banner, page
    assert words in banner.group(1)


def test_declined_banner_links_rationale_and_successor(tmp_path):
    folder = copy_fixtures(tmp_path)
    beta = folder / "PEP-0002-beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("| **Superseded-By** | PEP-0003 |\n", ""), encoding="utf-8")
    build(folder, tmp_path / "out")
    page = read(tmp_path / "out", "pep/PEP-0002-beta.html")
    banner = re.search(r'<div class="banner banner-declined" role="note">(.*?)</div>', page, re.S).group(1)
    assert "declined" in banner and 'href="#rationale"' in banner


def test_superseded_banner_links_the_successor_page(site):
    _, out, _ = site
    page = read(out, "pep/PEP-0002-beta.html")
    banner = re.search(r'<div class="banner banner-superseded" role="note">(.*?)</div>', page, re.S).group(1)
    assert '<a href="../pep/PEP-0003-gamma.html">PEP-0003: Gamma latency routing</a>' in banner


def test_active_and_accepted_peps_have_no_banner(site):
    _, out, _ = site
    for name in ("PEP-0000-process", "PEP-0003-gamma", "PEP-0001-alpha"):
        assert 'class="banner' not in read(out, f"pep/{name}.html")


def test_unreadable_file_gets_a_page_that_says_why(site):
    _, out, result = site
    page = read(out, "pep/PEP-0007-broken.html")
    assert "This file could not be read as a PEP" in page
    assert "not valid UTF-8" in page and "line 3" in page
    assert result.unreadable == 1


def test_links_out_of_the_folder_and_odd_files_are_not_published(tmp_path):
    folder = copy_fixtures(tmp_path)
    secret = tmp_path / "secret.env"
    secret.write_text("TOKEN=hunter2\n")
    os.symlink(secret, folder / "PEP-0020-leak.md")
    os.mkfifo(folder / "PEP-0021-pipe.md")  # read as a file, it would hold the build for ever
    (folder / "PEP-0022-folder.md").mkdir()
    out = tmp_path / "site"
    result = build(folder, out)
    assert result.unreadable == 4  # the fixtures' broken file and these three
    leak = read(out, "pep/PEP-0020-leak.html")
    assert "a symbolic link to a file outside the PEP folder" in leak
    assert "named pipe" in read(out, "pep/PEP-0021-pipe.html")
    assert "directory" in read(out, "pep/PEP-0022-folder.html").lower()
    assert "file is empty" not in read(out, "pep/PEP-0022-folder.html")
    published = [path for path in out.rglob("*") if path.is_file() and b"hunter2" in path.read_bytes()]
    assert published == []


def test_hostile_pep_renders_inert(site):
    _, out, _ = site
    page = read(out, "pep/PEP-0004-xss.html")
    tags = re.findall(r"<[^>]+>", main_of(page))
    assert not [t for t in tags if re.match(r"<(script|iframe|object|embed|form|style|svg|math)\b", t, re.I)]
    # no script on a PEP page but the site's own theme switch, from a file (no inline script)
    assert re.findall(r"<script\b[^>]*>", page) == ['<script src="../static/theme.js">']
    assert not [t for t in tags if re.search(r"\son\w+\s*=", t, re.I)]
    assert not [t for t in tags if re.search(r'(href|src)="\s*(javascript|data|vbscript):', t, re.I)]
    assert "&lt;script&gt;window.__xss = &#34;title&#34;&lt;/script&gt;" in page  # title shown as text


class _Tags(HTMLParser):
    """Every start tag of a page as (tag, {attribute: value}), values unescaped as a browser reads them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def tags_of(page: str) -> list:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


HOSTILE_TARGETS = (
    "Raw links whose targets break out of their attribute once unescaped:\n\n"
    "<a href='a\"onmouseover=\"window.__xss=1'>folder link</a>\n"
    "<a href='/r\"><script>window.__xss=2</script>'>root link</a>\n"
    "<img src='i\"onerror=\"window.__xss=3' alt=pic>\n"
    "<a href=\"h&quot; onfocus=&quot;window.__xss=4\">entity link</a>\n"
    "<a href='PEP-0099-q\"onmouseover=\"window.__xss=7.md'>missing PEP</a>\n"
    "<a href='PEP-0001-alpha.md#x\"onclick=\"window.__xss=8'>PEP with a fragment</a>\n\n"
    "## Heading <a href='g\"onclick=\"window.__xss=5'>link</a>\n"
)


@pytest.mark.parametrize("repository", ["https://github.com/o/r", ""])
def test_relative_targets_made_into_repository_links_stay_inside_their_attribute(tmp_path, repository):
    """After the sanitiser ran, relative link and image targets are rebuilt as repository-url + path
    (or dropped without one). The path comes from the PEP text, unescaped: re-escaping it is all that
    keeps a quote in it from closing the attribute and adding an event handler."""
    folder = copy_fixtures(tmp_path)
    write_pep(folder, "PEP-0040-targets.md", 40, "Draft",
              fields="| **Target Release** | <a href='t\"onmouseover=\"window.__xss=6'>release</a> |\n",
              body=HOSTILE_TARGETS)
    out = tmp_path / "out"
    build(folder, out, config=Config({"repository-url": repository} if repository else {}))
    for name in ("pep/PEP-0040-targets.html", "pep/PEP-0004-xss.html"):
        page = read(out, name)
        tags = tags_of(main_of(page))
        assert len(tags) > 20, name
        handlers = [(tag, attr) for tag, attrs in tags for attr in attrs if attr.startswith("on")]
        assert handlers == [], name
        assert [tag for tag, _ in tags if tag in ("script", "iframe", "object", "embed", "svg", "math")] == [], name
        assert re.findall(r"<script\b[^>]*>", page) == ['<script src="../static/theme.js">'], name
    tags = tags_of(main_of(read(out, "pep/PEP-0040-targets.html")))
    assert ("a", {"class": "missing-link", "title": 'PEP-0099-q"onmouseover="window.__xss=7.md is not in the PEP folder',
                  "rel": "noopener noreferrer nofollow"}) in tags
    assert ("a", {"href": '../pep/PEP-0001-alpha.html#x"onclick="window.__xss=8', "rel": "noopener noreferrer nofollow"}) in tags
    targets = sorted(attrs.get("href") or attrs.get("src") for tag, attrs in tags
                     if tag in ("a", "img") and "window.__xss" in (attrs.get("href") or attrs.get("src") or "")
                     and not (attrs.get("href") or "").startswith("../pep/"))
    if not repository:
        assert targets == []  # no repository: relative targets are dropped
        return
    bases = {"a": "https://github.com/o/r/blob/main/", "img": "https://github.com/o/r/raw/main/"}
    assert len(targets) == 6, targets
    assert all(t.startswith(tuple(bases.values())) for t in targets), targets
    assert 'https://github.com/o/r/blob/main/r"><script>window.__xss=2</script>' in targets  # root-relative
    suffixes = sorted(t.rsplit("/", 1)[-1] for t in targets if "<script>" not in t)
    assert suffixes == ['a"onmouseover="window.__xss=1', 'g"onclick="window.__xss=5', 'h" onfocus="window.__xss=4',
                        'i"onerror="window.__xss=3', 't"onmouseover="window.__xss=6']


def test_dashboard_draws_charts_at_build_time(site):
    _, out, _ = site
    page = read(out, "dashboard.html")
    charts = re.findall(r'<ol class="chart ([a-z]+)" aria-label="([^"]+)"', page)
    assert ("counts", "Number of PEPs in each status") in charts
    assert any(kind == "waiting" for kind, _ in charts)
    counts = page[page.index('<ol class="chart counts"'):]
    counts = counts[:counts.index("</ol>")]
    # each bar is a link to the index filtered by its status
    assert re.search(r'<li><a href="index.html\?status=Under\+Review#all-peps"><span class="bar-label">Under Review</span>'
                     r'.*?<span class="bar-value">1</span></a></li>', counts)
    # bar lengths are SVG attributes, not inline styles: a Content-Security-Policy without
    # 'unsafe-inline' still draws them
    assert ' style="' not in page and re.search(r'<rect class="bar status-under-review" width="[\d.]+" height="10"/>',
                                                  counts)
    waiting_chart = page[page.index('<ol class="chart waiting"'):]
    assert re.search(r'<a href="pep/PEP-0001-alpha.html"><span class="bar-label">PEP-0001</span>', waiting_chart)
    # in review since its Created date (no git here): 70 days on TODAY, over the 14-day limit
    waiting = page[page.index('<table class="waiting">'):]
    assert re.search(r'<tr class="overdue">.*?PEP-0001.*?70 days <strong class="overdue-flag">overdue</strong>',
                     waiting, re.S)


def test_404_and_search_pages(site):
    _, out, _ = site
    assert "Page not found" in read(out, "404.html") and 'href="/index.html"' in read(out, "404.html")
    search = read(out, "search.html")
    assert 'id="search-q"' in search and "static/search.js" in search


# -- data -----------------------------------------------------------------------------


def test_peps_json_has_one_object_per_pep(site):
    folder, out, _ = site
    data = json.loads(read(out, "api/peps.json"))
    assert data["schema_version"] == 1
    assert data["count"] == len(data["peps"]) == len(list(folder.glob("PEP-*.md")))
    alpha = next(p for p in data["peps"] if p["number"] == 1)
    assert alpha == {
        "number": 1, "title": "Alpha streaming cache", "status": "Under Review",
        "authors": [{"name": "Ada Lovelace", "handle": "ada"}, {"name": "Bob Builder", "handle": "bob-b"}],
        "sponsor": {"name": "Carol Maintainer", "handle": "carol"}, "created": "2024-01-10",
        "tracking_issue": "#12", "target_release": None, "supersedes": [], "superseded_by": [],
        "url": "pep/PEP-0001-alpha.html", "source": "PEP-0001-alpha.md", "last_change": None,
        "last_status_change": None, "error": None,
    }
    beta = next(p for p in data["peps"] if p["number"] == 2)
    gamma = next(p for p in data["peps"] if p["number"] == 3)
    assert beta["superseded_by"] == [3] and gamma["supersedes"] == [2]
    broken = next(p for p in data["peps"] if p["number"] == 7)
    assert broken["status"] is None and "UTF-8" in broken["error"]


def test_base_url_makes_absolute_urls(tmp_path):
    folder = copy_fixtures(tmp_path)
    build(folder, tmp_path / "out", base_url="https://peps.example.org/site")
    data = json.loads(read(tmp_path / "out", "api/peps.json"))
    assert data["peps"][0]["url"].startswith("https://peps.example.org/site/pep/")
    feed = ET.parse(tmp_path / "out" / "feed.xml").getroot()
    self_link = [l for l in feed.findall(f"{ATOM}link") if l.get("rel") == "self"]
    assert self_link[0].get("href") == "https://peps.example.org/site/feed.xml"
    assert 'href="/site/index.html"' in read(tmp_path / "out", "404.html")


def check_atom(feed):
    """The parts of RFC 4287 a reader relies on."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    has_feed_author = feed.find(f"{ATOM}author") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert entries, "the feed has no entry: nothing below would be checked"
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")
        datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text.replace("Z", "+00:00"))
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        assert has_feed_author or entry.find(f"{ATOM}author") is not None
    ids = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))


def test_feed_without_git_lists_new_peps_by_created_date(site):
    _, out, _ = site
    feed = ET.parse(out / "feed.xml").getroot()
    check_atom(feed)
    entries = feed.findall(f"{ATOM}entry")
    dates = [e.find(f"{ATOM}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert entries[0].find(f"{ATOM}title").text.startswith("New: PEP-0004")
    assert entries[0].find(f"{ATOM}link").get("href") == "pep/PEP-0004-xss.html"


def test_search_index_holds_titles_and_body_words(site):
    _, out, _ = site
    index = index_of(out)  # tests/site/test_site_search.py tests the index itself
    assert index["zeppelinoid"] == {"PEP-0001": 0} and "PEP-0001" in index["lookup"]
    assert index["alpha"]["PEP-0001"] == 3  # a title word


# -- git history ----------------------------------------------------------------------


def test_timeline_feed_and_dashboard_from_git(tmp_path):
    folder = history_repo(tmp_path)
    out = tmp_path / "out"
    build(folder, out, today=TODAY)
    alpha = read(out, "pep/PEP-0001-alpha.html")
    timeline = alpha[alpha.index('<section class="timeline"'):]
    steps = re.findall(r'<time datetime="([^"]+)">.*?</li>', timeline, re.S)
    assert steps == ["2024-01-10", "2024-02-01"]
    assert "created as" in timeline and re.search(r"Draft</span> → <span[^>]*>Under Review", timeline)
    assert "Last changed 2024-02-01" in timeline

    feed = ET.parse(out / "feed.xml").getroot()
    check_atom(feed)
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert titles[0] == "PEP-0002: Beta routing: Under Review → Declined"
    assert titles[1] == "PEP-0001: Alpha streaming cache: Draft → Under Review"
    assert any(t.startswith("New: PEP-0003") for t in titles)

    dashboard = read(out, "dashboard.html")
    assert '<ol class="chart decisions"' in dashboard
    assert "1 decision (accepted" in dashboard and "median 52 days" in dashboard  # 2024-01-10 → 2024-03-02
    assert re.search(r"PEP-0001.*?2024-02-01.*?48 days", dashboard, re.S)  # in review since the git change

    data = json.loads(read(out, "api/peps.json"))
    alpha_data = next(p for p in data["peps"] if p["number"] == 1)
    assert alpha_data["last_status_change"]["to"] == "Under Review"
    assert alpha_data["last_change"]["date"].startswith("2024-02-01")


def test_without_git_the_timeline_is_left_out(site):
    _, out, _ = site
    if (Path(out).parent / ".git").exists():
        pytest.skip("tmp_path is inside a git repository")
    assert "Status history" not in read(out, "pep/PEP-0001-alpha.html")


def test_repository_links_when_configured(tmp_path):
    folder = history_repo(tmp_path)
    config = Config({"repository-url": "https://github.com/o/r", "repository-branch": "trunk"})
    build(folder, tmp_path / "out", config=config)
    page = read(tmp_path / "out", "pep/PEP-0001-alpha.html")
    assert 'href="https://github.com/o/r/blob/trunk/peps/PEP-0001-alpha.md">View source' in page
    assert 'href="https://github.com/o/r/edit/trunk/peps/PEP-0001-alpha.md">Edit' in page
    assert 'href="https://github.com/o/r/issues/12">#12</a>' in page
    assert re.search(r'href="https://github.com/o/r/commit/[0-9a-f]{40}"', page)
    assert 'href="https://github.com/o/r/blob/trunk/peps/../README.md"' in page


# -- incremental builds ------------------------------------------------------------------


def stamps(out: Path) -> dict:
    return {p.name: p.stat().st_mtime_ns for p in (out / "pep").glob("*.html")}


def test_unchanged_build_renders_nothing(site):
    folder, out, _ = site
    before = stamps(out)
    result = build(folder, out, today=TODAY)
    assert result.rendered == 0 and stamps(out) == before


def test_editing_one_pep_rerenders_its_page_and_the_shared_pages(site):
    folder, out, _ = site
    before = stamps(out)
    index_before = read(out, "index.html")
    gamma = folder / "PEP-0003-gamma.md"
    gamma.write_text(gamma.read_text(encoding="utf-8").replace("measured latency.", "measured latency, smoothed."),
                     encoding="utf-8")
    result = build(folder, out, today=TODAY)
    assert result.rendered == 1
    after = stamps(out)
    assert [n for n in after if after[n] != before[n]] == ["PEP-0003-gamma.html"]
    assert "smoothed" in read(out, "pep/PEP-0003-gamma.html")
    assert "PEP-0003" in index_of(out)["smoothed"]
    assert read(out, "index.html") == index_before  # same titles and statuses: same index


def test_a_new_title_reaches_the_pages_that_show_it(site):
    folder, out, _ = site
    gamma = folder / "PEP-0003-gamma.md"
    gamma.write_text(gamma.read_text(encoding="utf-8").replace("Gamma latency routing", "Gamma routing v2"),
                     encoding="utf-8")
    result = build(folder, out, today=TODAY)
    # its own page, and beta's banner names its successor
    assert result.rendered == 2
    assert "PEP-0003: Gamma routing v2" in read(out, "pep/PEP-0002-beta.html")
    assert "Gamma routing v2" in read(out, "index.html")
    assert "Gamma routing v2" in read(out, "api/peps.json")


def test_status_change_updates_index_json_and_page(site):
    folder, out, _ = site
    set_status(folder / "PEP-0001-alpha.md", "Under Review", "Accepted")
    build(folder, out, today=TODAY)
    data = json.loads(read(out, "api/peps.json"))
    assert next(p for p in data["peps"] if p["number"] == 1)["status"] == "Accepted"
    index = read(out, "index.html")
    row = re.search(r'<tr data-n="1" data-o="(\d+)">(.*?)</tr>', index).groups()
    assert '<td class="status-accepted">Accepted</td>' in row[1]
    ranks = {status: int(rank) for rank, status in re.findall(r'data-o="(\d+)">.*?<td class="status-[a-z-]+">([^<]+)</td>',
                                                              index)}
    assert int(row[0]) == ranks["Accepted"] > ranks["Draft"]  # it sorts with the accepted ones now


def test_removed_pep_loses_its_page(site):
    folder, out, _ = site
    (folder / "PEP-0006-deferred.md").unlink()
    result = build(folder, out, today=TODAY)
    assert result.removed == 1 and not (out / "pep" / "PEP-0006-deferred.html").exists()
    assert "PEP-0006" not in read(out, "index.html")


def test_deleted_page_is_written_again(site):
    folder, out, _ = site
    (out / "pep" / "PEP-0003-gamma.html").unlink()
    assert build(folder, out, today=TODAY).rendered == 1
    assert (out / "pep" / "PEP-0003-gamma.html").exists()


def test_config_change_rebuilds_every_page(site):
    folder, out, _ = site
    result = build(folder, out, today=TODAY, config=Config({"first-feedback-days": 30}))
    assert result.rendered == result.pages


# Code of the extra PEPs: common languages, rare ones (each on a few pages, some two on one page),
# and names no lexer knows; the build shares them out so that each rare lexer is set up once.
EXTRA_CODE = ["rust", "rust", "swift", "scala", "kotlin", "scala\n```\n\n```kotlin", "railroad", "rust,ignore", "text"]


def add_extra_peps(folder: Path, count: int = 62) -> None:
    """Enough pages for the worker processes to start (files 8 and up)."""
    for n in range(8, 8 + count):
        lang = EXTRA_CODE[n % len(EXTRA_CODE)]
        (folder / f"PEP-{n:04d}-extra-{n}.md").write_text(
            f"# PEP-{n:04d}: Extra {n}\n\n| Field | Value |\n|---|---|\n| **PEP** | {n:04d} |\n"
            f"| **Title** | Extra {n} |\n| **Status** | Draft |\n| **Author(s)** | A (@a) |\n"
            f"| **Created** | 2024-01-01 |\n\n## Summary\n\nWord{n} and [alpha](PEP-0001-alpha.md).\n\n"
            f"```{lang}\nfn f{n}() {{}}\n```\n" + "\nMore text to make pages of different sizes.\n" * (n % 7),
            encoding="utf-8")


def assert_same_sites(one: Path, other: Path) -> None:
    pages = sorted(p.name for p in (one / "pep").glob("*.html"))
    assert pages == sorted(p.name for p in (other / "pep").glob("*.html"))
    for name in pages:
        assert (one / "pep" / name).read_bytes() == (other / "pep" / name).read_bytes(), name
    for rel in ("index.html", "dashboard.html", "api/peps.json", "feed.xml"):
        assert read(one, rel) == read(other, rel), rel
    assert files_of(one) == files_of(other)  # the search index


def test_parallel_build_matches_serial_build(tmp_path):
    folder = copy_fixtures(tmp_path)
    add_extra_peps(folder)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(folder, serial, today=TODAY, jobs=1)
    result = build(folder, parallel, today=TODAY, jobs=2)  # first build: the workers make records too
    assert result.rendered == result.pages == 70 and result.unreadable == 1
    assert_same_sites(serial, parallel)


def test_parallel_rebuild_of_many_pages_matches_serial_build(tmp_path):
    folder = copy_fixtures(tmp_path)
    add_extra_peps(folder)
    config = Config({"first-feedback-days": 30})
    parallel, serial = tmp_path / "parallel", tmp_path / "serial"
    build(folder, parallel, today=TODAY, jobs=2)
    (folder / "PEP-0009-extra-9.md").write_text(read(folder, "PEP-0009-extra-9.md").replace("Word9", "Changed9"),
                                                encoding="utf-8")
    result = build(folder, parallel, today=TODAY, jobs=3, config=config)  # every page again, records reused
    assert result.rendered == result.pages == 70
    build(folder, serial, today=TODAY, jobs=1, config=config)
    assert_same_sites(serial, parallel)
    assert "PEP-0009" in index_of(parallel)["changed9"]


def site_files(out: Path) -> dict:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and ".pepctl-cache" not in path.parts}


@pytest.mark.parametrize("rebuild", [False, True])
def test_pepctl_jobs_1_builds_the_same_bytes_as_the_default(tmp_path, monkeypatch, rebuild):
    """PEPCTL_JOBS=1 keeps the build in one process (no worker is forked), and the site is the same."""
    from pepctl import fanout
    from pepctl.site import build_site

    folder = history_repo(tmp_path)
    add_extra_peps(folder)
    config = Config({"repository-url": "https://github.com/o/r"})
    sites = {}
    for setting in ("", "1"):
        out = tmp_path / f"site-{setting or 'default'}"
        if rebuild:  # the records come from the cache; every page is rendered again (the configuration changed)
            monkeypatch.delenv("PEPCTL_JOBS", raising=False)
            build_site(str(folder), str(out), Config(), today=TODAY, jobs=1)
        monkeypatch.setenv("PEPCTL_JOBS", setting)
        crews = []
        monkeypatch.setattr(fanout.Crew, "__init__", lambda self, *a, real=fanout.Crew.__init__, **k:
                            (crews.append(1), real(self, *a, **k))[1])
        result = build_site(str(folder), str(out), config, today=TODAY)
        monkeypatch.undo()
        assert result.rendered == result.pages == 70 and result.warnings == []
        assert crews == ([] if setting == "1" else [1])
        sites[setting] = site_files(out)
    assert sites["1"].keys() == sites[""].keys()
    assert [name for name in sites[""] if sites[""][name] != sites["1"][name]] == []


def test_a_bad_pepctl_jobs_is_a_configuration_error(tmp_path, monkeypatch, pepctl):
    from pepctl.config import ConfigError
    from pepctl.site import build_site

    folder = copy_fixtures(tmp_path)
    monkeypatch.setenv("PEPCTL_JOBS", "lots")
    with pytest.raises(ConfigError, match="PEPCTL_JOBS"):
        build_site(str(folder), str(tmp_path / "out"))
    done = pepctl("--dir", str(folder), "site", "build", "-o", str(tmp_path / "out"), env={"PEPCTL_JOBS": "lots"})
    assert done.returncode == 2 and done.stderr.startswith("pepctl: error: PEPCTL_JOBS is 'lots'")
    assert pepctl("--dir", str(folder), "site", "build", "-o", str(tmp_path / "out"), "-j", "1",
                  env={"PEPCTL_JOBS": "lots"}).returncode == 0  # -j decides: the variable is not read


def test_progress_is_reported_through_the_callback(tmp_path):
    folder = copy_fixtures(tmp_path)
    calls = []
    build(folder, tmp_path / "out", progress=lambda *args: calls.append(args))
    assert calls[-1] == ("rendering pages", 8, 8) and len(calls) == 8
    calls.clear()
    add_extra_peps(folder)
    build(folder, tmp_path / "out", progress=lambda *args: calls.append(args), jobs=2)
    assert {label for label, _, _ in calls} == {"rendering pages"} and calls[-1][1] <= calls[-1][2] == 62


def test_a_page_that_fails_in_a_worker_does_not_stop_the_build(tmp_path, monkeypatch):
    from pepctl.site import markdown

    folder = copy_fixtures(tmp_path)
    add_extra_peps(folder)
    original = markdown.Renderer.render

    def broken(self, text, links=None, reserved=()):
        if "Word3" in text:  # PEP-0030 to PEP-0039: ten pages, rendered by either process
            raise ValueError("renderer exploded")
        return original(self, text, links, reserved)

    monkeypatch.delenv("PEPCTL_DEBUG", raising=False)
    monkeypatch.setattr(markdown.Renderer, "render", broken)  # forked workers inherit it
    out = tmp_path / "out"
    result = build(folder, out, jobs=2)
    assert result.rendered == result.pages == 70
    failed = sorted(p.name for p in (out / "pep").glob("*.html") if "renderer exploded" in p.read_text("utf-8"))
    assert failed == [f"PEP-{n:04d}-extra-{n}.html" for n in range(30, 40)]
    monkeypatch.setattr(markdown.Renderer, "render", original)
    assert build(folder, out, jobs=2).rendered == len(failed)  # the failed pages are tried again
    assert not [p for p in (out / "pep").glob("*.html") if "could not be rendered" in p.read_text("utf-8")]


def test_a_failing_worker_fails_the_build(tmp_path, monkeypatch):
    from pepctl.site import markdown

    folder = copy_fixtures(tmp_path)
    add_extra_peps(folder)

    def broken(self, text, links=None, reserved=()):
        raise ValueError("renderer exploded")

    monkeypatch.setenv("PEPCTL_DEBUG", "1")  # errors are raised, not turned into a page
    monkeypatch.setattr(markdown.Renderer, "render", broken)
    with pytest.raises((RuntimeError, ValueError), match="renderer exploded"):
        build(folder, tmp_path / "out", jobs=2)


# -- links --------------------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "link", "script", "img"):
                self.links.append(attrs[name])


def broken_links(out: Path, anchors: bool = True) -> list[str]:
    """Internal links (and, with `anchors`, #fragments) of every page that resolve to no file (or id)."""
    pages = {}
    for path in out.rglob("*.html"):
        if ".pepctl-cache" in path.parts or path.name == "404.html":
            continue
        parser = Links()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(out).as_posix()] = parser
    assert any(rel.startswith("pep/") for rel in pages), f"no PEP page in {out}: no link would be checked"
    broken = []
    internal = 0
    for rel, parser in pages.items():
        for link in parser.links:
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//", link, re.I):
                continue
            internal += 1
            target, fragment = urldefrag(urljoin(quote(rel), link))
            target = unquote(target.split("?")[0]) or rel  # as a browser asks for it
            if not (out / target).is_file():
                broken.append(f"{rel}: {link}")
            elif anchors and fragment and target in pages and fragment not in pages[target].ids:
                broken.append(f"{rel}: {link} (no such anchor)")
    assert internal > len(pages), f"only {internal} internal links in {len(pages)} pages"  # each links the index, style...
    return broken


def test_fixture_site_has_no_broken_internal_link(site):
    _, out, _ = site
    assert broken_links(out) == []


def test_corpus_site_builds_with_no_broken_internal_link(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip("the plano-1k corpus is not beside this checkout")
    out = tmp_path / "out"
    result = build(CORPUS, out, jobs=2)
    assert result.pages == len(list(CORPUS.glob("PEP-*.md"))) - 1  # less the template
    assert broken_links(out, anchors=False) == []
    # a #fragment that leads nowhere is the author's own: written so in the source, where no heading,
    # id or name gives it (GitHub's rendering has the same dead fragment)
    for problem in broken_links(out):
        page, _, rest = problem.partition(": ")
        fragment = rest.split(" ")[0]
        source = (CORPUS / (Path(page).stem + ".md")).read_text(encoding="utf-8")
        assert fragment in source, problem
    data = json.loads(read(out, "api/peps.json"))
    numbers = [p["number"] for p in data["peps"]]
    assert numbers.count(2071) == 2 and numbers.count(5519) == 2  # both files of a duplicated number


# -- command line -------------------------------------------------------------------------


def test_cli_build_and_rebuild(tmp_path, pepctl):
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "site"
    done = pepctl("--dir", str(folder), "site", "build", "-o", str(out), "--base-url", "https://x.example/")
    assert done.returncode == 0, done.stderr
    assert "built 8 PEP pages (8 rendered" in done.stderr
    assert "\r" not in done.stderr  # no progress line when stderr is not a terminal
    assert json.loads((out / "api" / "peps.json").read_text())["base_url"] == "https://x.example/"
    again = pepctl("--dir", str(folder), "site", "build", "-o", str(out), "--base-url", "https://x.example/")
    assert again.returncode == 0 and "(0 rendered, 8 unchanged)" in again.stderr
    moved = pepctl("--dir", str(folder), "site", "build", "-o", str(out))  # the base URL is on every page
    assert moved.returncode == 0 and "(8 rendered, 0 unchanged)" in moved.stderr


@pytest.mark.parametrize("where, words", [
    ("", "give the folder"),
    ("PEP-0001-alpha.md", "is a file, not a folder"),
    ("PEP-0001-alpha.md/site", "cannot create the folder"),
])
def test_cli_output_that_is_no_folder_is_a_usage_error(tmp_path, pepctl, where, words):
    folder = copy_fixtures(tmp_path)
    out = str(folder / where) if where else ""
    done = pepctl("--dir", str(folder), "site", "build", "-o", out)
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("url", ["peps.example.org", "javascript:alert(1)", "ftp://x.example/",
                                 "https://x.example/?q=1", "https://x.example/#top", 'https://x.example/"><script>/'])
def test_cli_base_url_must_be_a_web_address(tmp_path, pepctl, url):
    folder = copy_fixtures(tmp_path)
    done = pepctl("--dir", str(folder), "site", "build", "-o", str(tmp_path / "site"), "--base-url", url)
    assert done.returncode == 2 and "https://peps.example.org/" in done.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_cli_unwritable_output_is_a_clear_error(tmp_path, pepctl):
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "site"
    out.mkdir()
    (tmp_path / ".site.pepctl-cache").write_text("not a folder")  # where the cache goes
    done = pepctl("--dir", str(folder), "site", "build", "-o", str(out))
    assert done.returncode == 1 and "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert f"cannot write the site into {out}" in done.stderr and ".pepctl-cache" in done.stderr


def test_cli_help_lists_site_commands(pepctl):
    done = pepctl("site", "--help")
    assert done.returncode == 0 and "build" in done.stdout and "serve" in done.stdout


def test_same_folder_gives_the_same_site_bytes_in_any_process(tmp_path):
    """Two builds in processes with different hash seeds write identical files (the cache aside)."""
    import subprocess
    import sys

    folder = copy_fixtures(tmp_path)
    sites = []
    for seed in ("1", "2"):
        out = tmp_path / f"site-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "pepctl", "--dir", str(folder), "site", "build", "-o", str(out)],
                       env=env, check=True, capture_output=True, timeout=120)
        sites.append({path.relative_to(out): path.read_bytes() for path in sorted(out.rglob("*"))
                      if path.is_file() and ".pepctl-cache" not in path.parts})
    assert sites[0].keys() == sites[1].keys()
    assert [name for name in sites[0] if sites[0][name] != sites[1][name]] == []


def test_missing_site_extra_is_a_clear_error(tmp_path):
    import subprocess
    import sys

    folder = copy_fixtures(tmp_path)
    code = ("import sys; sys.modules['cmarkgfm'] = None\n"
            "from pepctl.cli import main\n"
            f"sys.exit(main(['--dir', {str(folder)!r}, 'site', 'build', '-o', {str(tmp_path / 'out')!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "pip install 'pepctl[site]'" in done.stderr and "Traceback" not in done.stderr


def test_core_commands_do_not_import_the_site_dependencies(tmp_path):
    import subprocess
    import sys

    folder = copy_fixtures(tmp_path)
    code = ("import sys\n"
            "from pepctl.cli import main\n"
            f"main(['--dir', {str(folder)!r}, 'check'])\n"
            "loaded = [m for m in ('cmarkgfm', 'nh3', 'jinja2', 'pygments', 'pepctl.site') if m in sys.modules]\n"
            "print(loaded)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_page_that_fails_to_render_does_not_stop_the_build(tmp_path, monkeypatch):
    from pepctl.site import markdown

    folder = copy_fixtures(tmp_path)

    def broken(self, text, links=None, reserved=()):
        if "zeppelinoid" in text:
            raise ValueError("renderer exploded")
        return original(self, text, links, reserved)

    original = markdown.Renderer.render
    monkeypatch.delenv("PEPCTL_DEBUG", raising=False)
    monkeypatch.setattr(markdown.Renderer, "render", broken)
    result = build(folder, tmp_path / "out")
    assert result.rendered == result.pages
    page = read(tmp_path / "out", "pep/PEP-0001-alpha.html")
    assert "could not be rendered (ValueError: renderer exploded)" in page
    assert "Gamma latency routing" in read(tmp_path / "out", "pep/PEP-0003-gamma.html")
    monkeypatch.setattr(markdown.Renderer, "render", original)
    assert build(folder, tmp_path / "out").rendered == 1  # the failed page is tried again
    assert "could not be rendered" not in read(tmp_path / "out", "pep/PEP-0001-alpha.html")


def test_git_history_is_reused_while_head_stays(tmp_path, monkeypatch):
    folder = history_repo(tmp_path)
    out = tmp_path / "out"
    build(folder, out, today=TODAY)

    def fail(*args, **kwargs):
        raise AssertionError("read the git history again")

    monkeypatch.setattr("pepctl.site.gitinfo.read_history", fail)
    alpha = folder / "PEP-0001-alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")
    result = build(folder, out, today=TODAY)  # an uncommitted edit: HEAD is the same
    assert result.rendered == 1 and result.warnings == []
    assert "2024-02-01" in read(out, "pep/PEP-0001-alpha.html")  # the timeline is still there
    monkeypatch.undo()
    git(folder.parent, "commit", "-q", "-am", "more text", date="2024-03-10T09:00:00+00:00")
    build(folder, out, today=TODAY)  # a new commit: read again
    assert "Last changed 2024-03-10" in read(out, "pep/PEP-0001-alpha.html")


ODD_FILES = {
    "PEP-0010-crlf.md": b"# PEP-0010: Windows lines\r\n\r\n| Field | Value |\r\n|---|---|\r\n| **PEP** | 0010 |\r\n"
                        b"| **Title** | Windows lines |\r\n| **Status** | Draft |\r\n\r\n## Summary\r\n\r\nText.\r\n",
    "PEP-0011-bom.md": b"\xef\xbb\xbf# PEP-0011: With a BOM\n\n| Field | Value |\n|---|---|\n| **Status** | Draft |\n",
    "PEP-0012-no-table.md": b"# PEP-0012: No header table\n\n## Summary\n\nJust text.\n",
    "PEP-0013-empty.md": b"",
    "PEP-0014-binary.md": b"\x00\x01\x02binary",
    "PEP-0015-broken-table.md": b"# PEP-0015: Broken\n\n| Field | Value |\n| **Status** | Draft |\n| **PEP** |\n\nBody.\n",
    "PEP-0016-unknown-status.md": b"# PEP-0016: Odd status\n\n| Field | Value |\n|---|---|\n| **Status** | Pondering |\n",
    "PEP-0017-unclosed-comment.md": b"# PEP-0017: Comment\n\n| Field | Value |\n|---|---|\n| **Status** | Draft |\n\n<!-- never closed\n",
    "PEP-0018-only-heading.md": b"# PEP-0018: Heading only",
    "PEP-abc-no-number.md": b"# A file with no number\n\nText.\n",
    "PEP-0019-huge-table.md": b"# PEP-0019: Wide\n\n| Field | Value |\n|---|---|\n| **Status** | Draft |\n\n"
                              + b"| a " * 300 + b"|\n" + b"|---" * 300 + b"|\n" + b"| x " * 300 + b"|\n",
}


def test_odd_files_all_get_pages_and_the_build_goes_on(tmp_path):
    folder = tmp_path / "peps"
    folder.mkdir()
    for name, data in ODD_FILES.items():
        (folder / name).write_bytes(data)
    out = tmp_path / "out"
    result = build(folder, out)
    assert result.pages == len(ODD_FILES)
    for name in ODD_FILES:
        assert (out / "pep" / (name[:-3] + ".html")).is_file(), name
    assert "the file is empty" in read(out, "pep/PEP-0013-empty.html")
    assert "binary" in read(out, "pep/PEP-0014-binary.html")
    assert "This file has problems" in read(out, "pep/PEP-0015-broken-table.html")
    assert "With a BOM" in read(out, "pep/PEP-0011-bom.html")
    index = read(out, "index.html")
    assert 'data-status="Pondering"' in index and 'data-status="Unreadable"' in index
    assert broken_links(out) == []
    data = json.loads(read(out, "api/peps.json"))
    assert {p["source"] for p in data["peps"]} == set(ODD_FILES)


def test_empty_folder_builds_an_empty_site(tmp_path):
    folder = tmp_path / "peps"
    folder.mkdir()
    result = build(folder, tmp_path / "out")
    assert result.pages == 0
    assert json.loads(read(tmp_path / "out", "api/peps.json"))["count"] == 0
    ET.parse(tmp_path / "out" / "feed.xml")
    assert "0 proposals" in read(tmp_path / "out", "index.html")


def test_a_repository_git_cannot_read_is_a_warning_not_silence(tmp_path, monkeypatch):
    folder = history_repo(tmp_path)
    plain = copy_fixtures(tmp_path / "plain")
    assert build(plain, tmp_path / "plain-site").warnings == []  # no repository: nothing to say
    monkeypatch.setenv("PATH", str(tmp_path / "no-binaries-here"))  # as if git were missing
    result = build(folder, tmp_path / "site")
    assert any("git history not read" in warning and "git is not installed" in warning
               for warning in result.warnings)
    assert "Status history" not in read(tmp_path / "site", "pep/PEP-0001-alpha.html")


def feed_entries(out: Path) -> list:
    feed = ET.parse(out / "feed.xml").getroot()
    check_atom(feed)
    return [(e.find(f"{ATOM}id").text, e.find(f"{ATOM}title").text, e.find(f"{ATOM}updated").text)
            for e in feed.findall(f"{ATOM}entry")]


def test_feed_entry_ids_survive_renaming_the_file(tmp_path):
    folder = history_repo(tmp_path)
    build(folder, tmp_path / "before")
    before = {title: entry_id for entry_id, title, _ in feed_entries(tmp_path / "before")}
    git(folder.parent, "mv", "peps/PEP-0001-alpha.md", "peps/PEP-0001-alpha-renamed.md")
    git(folder.parent, "commit", "-q", "-m", "rename", date="2024-03-05T09:00:00+00:00")
    build(folder, tmp_path / "after")
    after = {title: entry_id for entry_id, title, _ in feed_entries(tmp_path / "after")}
    alpha = [title for title in before if title.startswith("PEP-0001") or "PEP-0001:" in title]
    assert len(alpha) == 2  # new as Draft, then Draft -> Under Review
    assert all(after[title] == before[title] for title in alpha)


def test_feed_and_dashboard_order_changes_by_instant_not_by_written_offset(tmp_path):
    folder = history_repo(tmp_path)
    alpha = folder / "PEP-0001-alpha.md"
    set_status(alpha, "Under Review", "Deferred")  # 2024-03-31 20:00 UTC, written with +05:00
    git(folder.parent, "commit", "-q", "-am", "defer", date="2024-04-01T01:00:00+05:00")
    (folder / "PEP-0008-late.md").write_text((folder / "PEP-0003-gamma.md").read_text(encoding="utf-8")
                                             .replace("0003", "0008"), encoding="utf-8")
    git(folder.parent, "add", ".")
    git(folder.parent, "commit", "-q", "-m", "late", date="2024-03-31T22:00:00+00:00")  # two hours later
    out = tmp_path / "site"
    build(folder, out)
    entries = feed_entries(out)
    assert entries[0][1].startswith("New: PEP-0008") and entries[1][1].startswith("PEP-0001")
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.find(f"{ATOM}updated").text == entries[0][2]
    dashboard = read(out, "dashboard.html")
    assert dashboard.index("PEP-0008") < dashboard.index("Under Review</span> → <span")


def test_json_and_feed_spell_statuses_as_configured(tmp_path):
    folder = history_repo(tmp_path)
    text = (folder / "PEP-0006-deferred.md").read_text(encoding="utf-8")
    (folder / "PEP-0006-deferred.md").write_text(text.replace("| **Status** | Deferred |", "| **Status** | deferred |"),
                                                 encoding="utf-8")
    no_status = (folder / "PEP-0005-withdrawn.md").read_text(encoding="utf-8")
    (folder / "PEP-0005-withdrawn.md").write_text(
        "\n".join(line for line in no_status.splitlines() if "**Status**" not in line) + "\n", encoding="utf-8")
    git(folder.parent, "commit", "-q", "-am", "respell", date="2024-03-10T09:00:00+00:00")
    out = tmp_path / "site"
    build(folder, out)
    peps = {p["number"]: p for p in json.loads(read(out, "api/peps.json"))["peps"]}
    assert peps[6]["status"] == "Deferred" and peps[6]["last_status_change"]["to"] == "Deferred"
    assert peps[5]["status"] is None and peps[5]["error"] is None
    assert not any("deferred" in title for _, title, _ in feed_entries(out))


# -- odd file names, repository links, header values, banners, ages ---------------------------


def write_pep(folder: Path, name: str, number: int, status: str, fields: str = "", body: str = "") -> Path:
    path = folder / name
    path.write_text(f"# PEP-{number:04d}: Pep {number}\n\n| Field | Value |\n|---|---|\n| **PEP** | {number:04d} |\n"
                    f"| **Title** | Pep {number} |\n| **Status** | {status} |\n| **Author(s)** | Ann (@ann) |\n"
                    f"| **Created** | 2024-01-10 |\n{fields}\n## Summary\n\nText. {body}\n", encoding="utf-8")
    return path


def test_a_file_name_with_url_special_characters_is_linked_percent_encoded(tmp_path):
    folder = copy_fixtures(tmp_path)
    odd = 'PEP-0040-a b#c%d?é".md'
    write_pep(folder, odd, 40, "Under Review")
    write_pep(folder, "PEP-0041-plain.md", 41, "Draft", "| **Supersedes** | PEP-0040 |\n", "[odd](PEP-0040.md)")
    out = tmp_path / "out"
    build(folder, out, today=TODAY)
    assert (out / "pep" / 'PEP-0040-a b#c%d?é".html').is_file()  # the file keeps its name
    url = quote('pep/PEP-0040-a b#c%d?é".html')
    assert url == "pep/PEP-0040-a%20b%23c%25d%3F%C3%A9%22.html"
    for rel in ("index.html", "dashboard.html"):
        assert f'href="{url}"' in read(out, rel), rel
    assert read(out, "pep/PEP-0041-plain.html").count(f'href="../{url}"') == 2  # card and text
    assert all("PEP-0040-a b" not in href for href in re.findall(r'href="([^"]*)"', "".join(
        read(out, rel) for rel in ("index.html", "dashboard.html", "pep/PEP-0041-plain.html", "feed.xml"))))
    assert any(p["url"] == url for p in json.loads(read(out, "api/peps.json"))["peps"])
    assert any(json.loads(path.read_text(encoding="utf-8"))[0] == url for path in (out / "search" / "d").glob("*.json"))
    feed = ET.parse(out / "feed.xml").getroot()
    assert url in [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]
    assert broken_links(out) == []


def test_source_links_of_an_odd_file_name_are_percent_encoded(tmp_path):
    folder = copy_fixtures(tmp_path)
    write_pep(folder, "PEP-0040-a b#c.md", 40, "Draft")
    out = tmp_path / "out"
    build(folder, out, config=Config({"repository-url": "https://github.com/o/r"}))
    page = read(out, "pep/PEP-0040-a b#c.html")
    assert re.search(r'href="https://github.com/o/r/blob/main/[\w/]*peps/PEP-0040-a%20b%23c.md">View source', page)
    assert re.search(r'href="https://github.com/o/r/edit/main/[\w/]*peps/PEP-0040-a%20b%23c.md">Edit', page)


def test_root_relative_links_go_to_the_repository_root(tmp_path):
    folder = copy_fixtures(tmp_path)
    write_pep(folder, "PEP-0040-root.md", 40, "Draft", body="[licence](/LICENSE) ![logo](/docs/logo.png)")
    out = tmp_path / "out"
    build(folder, out, config=Config({"repository-url": "https://github.com/o/r", "repository-branch": "trunk"}))
    page = read(out, "pep/PEP-0040-root.html")
    assert '<a href="https://github.com/o/r/blob/trunk/LICENSE">licence</a>' in page
    assert 'src="https://github.com/o/r/raw/trunk/docs/logo.png"' in page


def test_every_issue_number_in_the_tracking_issue_field_is_linked(tmp_path):
    folder = copy_fixtures(tmp_path)
    write_pep(folder, "PEP-0040-issues.md", 40, "Draft", "| **Tracking Issue** | #12, #13 (follow-up) & <b>#14</b> |\n")
    out = tmp_path / "out"
    build(folder, out, config=Config({"repository-url": "https://github.com/o/r"}))
    card = read(out, "pep/PEP-0040-issues.html")
    card = card[card.index("<dt>Tracking Issue</dt>"):]
    card = card[:card.index("</dd>")]
    assert card == ('<dt>Tracking Issue</dt><dd><a href="https://github.com/o/r/issues/12">#12</a>, '
                    '<a href="https://github.com/o/r/issues/13">#13</a> (follow-up) &amp; &lt;b&gt;'
                    '<a href="https://github.com/o/r/issues/14">#14</a>&lt;/b&gt;')


def test_banner_sentences_end_with_one_period(tmp_path):
    folder = copy_fixtures(tmp_path)
    write_pep(folder, "PEP-0040-declined.md", 40, "Declined")  # no rationale section to link
    out = tmp_path / "out"
    build(folder, out)
    for name in ("PEP-0005-withdrawn", "PEP-0006-deferred", "PEP-0040-declined"):
        banner = re.search(r'<div class="banner[^"]*" role="note">\s*<p>(.*?)</p>', read(out, f"pep/{name}.html"), re.S)
        assert banner.group(1).endswith(".") and not banner.group(1).endswith(".."), banner.group(1)


def test_review_ages_are_never_negative_nor_absurd(tmp_path):
    folder = copy_fixtures(tmp_path)
    alpha = folder / "PEP-0001-alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("2024-01-10", "2097-01-10"), encoding="utf-8")
    old = write_pep(folder, "PEP-0040-old.md", 40, "Under Review")
    old.write_text(old.read_text(encoding="utf-8").replace("2024-01-10", "0024-01-10"), encoding="utf-8")
    out = tmp_path / "out"
    build(folder, out, today=TODAY)
    waiting = read(out, "dashboard.html")
    waiting = waiting[waiting.index('<section class="panel" aria-labelledby="waiting-title">'):]
    waiting = waiting[:waiting.index("</section>")]
    assert not re.search(r">-\d", waiting)
    assert re.search(r"PEP-0001</a>.*?<td>2097-01-10 .*?</td>\s*<td>0 days</td>", waiting, re.S)
    assert re.search(r"PEP-0040</a>.*?<td>0024-01-10 .*?</td>\s*<td>unknown</td>", waiting, re.S)
    assert "overdue" not in waiting.replace("marked overdue", "")


@pytest.mark.parametrize("repository, expected", [
    ("", r'class="missing-link" title="PEP-TEMPLATE.md is not on the website"'),
    ("https://github.com/o/r", r'href="https://github.com/o/r/blob/main/[\w/]*peps/PEP-TEMPLATE.md"'),
])
def test_a_link_to_the_template_is_a_file_of_the_folder_with_no_page(tmp_path, repository, expected):
    folder = copy_fixtures(tmp_path)
    (folder / "PEP-TEMPLATE.md").write_text("# PEP-XXXX: Title\n", encoding="utf-8")
    write_pep(folder, "PEP-0040-links.md", 40, "Draft", body="[the template](PEP-TEMPLATE.md)")
    out = tmp_path / "out"
    build(folder, out, config=Config({"repository-url": repository} if repository else {}))
    page = read(out, "pep/PEP-0040-links.html")
    assert re.search(expected, page) and "is not in the PEP folder" not in page


def test_a_link_written_in_angle_brackets_is_redone_when_its_target_goes(tmp_path):
    folder = copy_fixtures(tmp_path)
    write_pep(folder, "PEP-0040-a b.md", 40, "Draft")
    write_pep(folder, "PEP-0041-one.md", 41, "Draft", body="See [s](<PEP-0040-a b.md>).")
    out = tmp_path / "site"
    build(folder, out)
    assert 'href="../pep/PEP-0040-a%20b.html"' in read(out, "pep/PEP-0041-one.html")
    (folder / "PEP-0040-a b.md").unlink()
    build(folder, out)
    assert "PEP-0040-a b.md is not in the PEP folder" in read(out, "pep/PEP-0041-one.html")


def test_last_change_is_known_for_file_names_git_would_quote(tmp_path):
    folder = history_repo(tmp_path)
    name = 'PEP-0040-say "hi".md'
    write_pep(folder, name, 40, "Draft")
    git(folder.parent, "add", ".")
    git(folder.parent, "commit", "-q", "-m", "quoted name", date="2024-03-10T09:00:00+00:00")
    out = tmp_path / "site"
    build(folder, out)
    peps = {p["source"]: p for p in json.loads(read(out, "api/peps.json"))["peps"]}
    assert peps[name]["last_change"]["date"].startswith("2024-03-10")


@pytest.mark.parametrize("epoch", ["253402300800", "abc", "1.5"])
def test_an_unusable_source_date_epoch_is_a_warning(tmp_path, monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = build(copy_fixtures(tmp_path), tmp_path / "site", today=None)
    assert any("SOURCE_DATE_EPOCH" in warning for warning in result.warnings)


def test_pages_of_gone_files_go_even_when_the_cache_was_deleted(tmp_path):
    import shutil as shutil_

    folder = copy_fixtures(tmp_path)
    out = tmp_path / "site"
    build(folder, out)
    (out / "pep" / "my-notes.html").write_text("<p>mine</p>")  # not made by pepctl: stays
    (folder / "PEP-0003-gamma.md").unlink()
    shutil_.rmtree(cache.cache_dir(str(out)))
    result = build(folder, out)
    assert not (out / "pep" / "PEP-0003-gamma.html").exists() and result.removed == 1
    assert (out / "pep" / "my-notes.html").exists()


def test_cli_base_url_scheme_may_be_upper_case(tmp_path, pepctl):
    folder = copy_fixtures(tmp_path)
    done = pepctl("--dir", str(folder), "site", "build", "-o", str(tmp_path / "site"), "--base-url", "HTTPS://X.example/")
    assert done.returncode == 0, done.stderr
    data = json.loads(read(tmp_path / "site", "api/peps.json"))
    assert data["base_url"].lower() == "https://x.example/"
    assert data["peps"] and all(p["url"].lower().startswith("https://x.example/pep/") for p in data["peps"])
    feed = ET.parse(tmp_path / "site" / "feed.xml").getroot()
    links = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert links and all(link.lower().startswith("https://x.example/") for link in links)


# -- safe output: the cache outside the site, -o into a folder of other files, interrupted builds ------------


def test_the_cache_is_beside_the_site_never_in_it_and_an_old_one_inside_is_removed(tmp_path):
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "site"
    out.mkdir()
    (out / ".pepctl-cache").mkdir()  # where versions before kept it (and published it)
    (out / ".pepctl-cache" / "build.marshal").write_bytes(b"old")
    build(folder, out)
    assert (tmp_path / ".site.pepctl-cache" / cache.DB_FILE).is_file()
    assert not (out / ".pepctl-cache").exists()
    assert not [path for path in out.rglob("*") if path.name.startswith(".")]  # no hidden file is published
    assert build(folder, out).rendered == 0  # and the next build finds it


def test_output_of_other_files_is_refused_untouched_unless_forced(tmp_path, pepctl):
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "index.html").write_text("<p>my own page</p>")
    (out / "notes.txt").write_text("keep me")
    before = {path: path.read_bytes() for path in out.rglob("*")}
    done = pepctl("--dir", str(folder), "site", "build", "-o", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "is not empty and is not a site pepctl built" in done.stderr and "index.html, notes.txt" in done.stderr
    assert "--force" in done.stderr and "empty folder" in done.stderr
    assert {path: path.read_bytes() for path in out.rglob("*")} == before
    assert not (tmp_path / ".mine.pepctl-cache").exists()
    done = pepctl("--dir", str(folder), "site", "serve", "-o", str(out), "-p", "0")
    assert done.returncode == 2 and "--force" in done.stderr
    done = pepctl("--dir", str(folder), "site", "build", "-o", str(out), "--force")
    assert done.returncode == 0, done.stderr
    assert (out / "notes.txt").read_text() == "keep me" and GENERATOR in (out / "index.html").read_text()
    done = pepctl("--dir", str(folder), "site", "build", "-o", str(out))  # now a pepctl site: no --force needed
    assert done.returncode == 0, done.stderr


def test_output_that_is_empty_missing_or_an_earlier_site_is_accepted(tmp_path):
    from pepctl.site.output import check_output

    folder = copy_fixtures(tmp_path)
    check_output(str(tmp_path / "missing"))
    (tmp_path / "empty").mkdir()
    check_output(str(tmp_path / "empty"))
    build(folder, tmp_path / "site")
    import shutil as shutil_

    shutil_.copytree(tmp_path / "site", tmp_path / "copied")  # a published copy, without the cache: its mark
    check_output(str(tmp_path / "copied"))
    (tmp_path / "copied" / "index.html").unlink()  # a first build stopped before its index: its pages' mark
    check_output(str(tmp_path / "copied"))


GENERATOR = '<meta name="generator" content="pepctl">'


def listed_pages(out: Path) -> set[str]:
    """The PEP pages and data files that the index, the API, the feed, the dashboard and the search index link
    to (the pages of the navigation, which link each other, aside: on a first build one comes before another)."""
    site = out.resolve()
    found = set()
    for name in ("index.html", "dashboard.html"):
        path = out / name
        if path.exists():
            for href in re.findall(r'href="([^"#?]+)', path.read_text(encoding="utf-8")):
                if "://" not in href and not href.startswith("mailto:"):
                    page = str((out / unquote(href)).resolve().relative_to(site))
                    if "/" in page or not page.endswith(".html"):
                        found.add(page)
    if (out / "api" / "peps.json").exists():
        for pep in json.loads((out / "api" / "peps.json").read_text(encoding="utf-8"))["peps"]:
            found.add(unquote(pep["url"]))
    if (out / "feed.xml").exists():
        for link in ET.parse(out / "feed.xml").getroot().iter(f"{ATOM}link"):
            href = link.get("href")
            if "/pep/" in href or href.startswith("pep/"):
                found.add("pep/" + unquote(href.rsplit("/pep/", 1)[-1].removeprefix("pep/")))
    if (out / "search-index.json").exists():
        data = json.loads((out / "search-index.json").read_text(encoding="utf-8"))
        found.update(unquote(doc[0]) for doc in data.get("docs", []))
    return found


def interrupted_build(folder: Path, out: Path, pause_after: int, jobs: str) -> int:
    """Start `pepctl site build` in a child process, wait until it has written `pause_after` files, then
    press Ctrl-C (SIGINT to its process group, as a terminal does); its exit code."""
    import signal
    import subprocess
    import sys

    env = {**os.environ, "PEPCTL_SITE_TEST_PAUSE_AFTER": str(pause_after), "PEPCTL_JOBS": jobs}
    child = subprocess.Popen([sys.executable, "-m", "pepctl", "--dir", str(folder), "site", "build", "-o", str(out)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        for line in child.stderr:
            if line.startswith("pepctl-test: paused"):
                break
        os.killpg(child.pid, signal.SIGINT)
        child.stderr.read()
        return child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_interrupted_build_never_lists_a_missing_page_and_the_next_one_completes(tmp_path, jobs):
    import shutil

    folder = many_peps(tmp_path, 60)
    out = tmp_path / "site"
    from pepctl.site import templates

    pages = len(list(folder.glob("PEP-*.md")))
    files = len(list(templates.static_files(False))) + pages + 7  # a first build in one process: assets, pages, lists
    # stopped in a first build: early, mid-way, among the last pages, or (one process) among the lists of
    # pages written last; then in a rebuild that adds and removes a PEP
    for pause in (1, 20, pages - 2, files - 3) if jobs == "1" else (1, 12, 30):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache.cache_dir(str(out)), ignore_errors=True)
        assert interrupted_build(folder, out, pause, jobs) == 130
        missing = sorted(page for page in listed_pages(out) if not (out / page).is_file())
        assert missing == [], f"stopped after {pause} files: listed but missing: {missing[:5]}"
    build(folder, out, jobs=int(jobs))
    assert len(listed_pages(out)) >= pages
    (folder / "PEP-0100-generated.md").unlink()
    (folder / "PEP-0001-alpha.md").write_text(
        (folder / "PEP-0001-alpha.md").read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    text = (folder / "PEP-0101-generated.md").read_text(encoding="utf-8").replace("0101", "0099")
    (folder / "PEP-0099-new.md").write_text(text, encoding="utf-8")
    assert interrupted_build(folder, out, 2, jobs) == 130
    assert "pep/PEP-0100-generated.html" in listed_pages(out)  # the old index still lists it: it is still there
    assert all((out / page).is_file() for page in listed_pages(out))
    result = build(folder, out, jobs=int(jobs))
    assert result.removed == 1 and not (out / "pep" / "PEP-0100-generated.html").exists()
    listed = listed_pages(out)
    assert "pep/PEP-0099-new.html" in listed and "pep/PEP-0100-generated.html" not in listed
    assert all((out / page).is_file() for page in listed)


def inodes(out: Path) -> dict:
    """Each file's inode: every write renames a new file into place, so a file written again gets a new one."""
    return {str(path.relative_to(out)): path.stat().st_ino for path in out.rglob("*") if path.is_file()}


def test_a_one_pep_edit_reads_that_file_and_rewrites_its_page_and_the_lists_that_changed_only(tmp_path, monkeypatch):
    from pepctl.site import listing, reading

    folder = many_peps(tmp_path, 60)
    out = tmp_path / "site"
    build(folder, out, jobs=2)
    before = inodes(out)
    reads, indexes = [], []
    real, index_html = reading.read_source, listing.index_html
    monkeypatch.setattr(reading, "read_source", lambda path: reads.append(os.path.basename(path)) or real(path))
    monkeypatch.setattr(listing, "index_html", lambda state: indexes.append(1) or index_html(state))
    edited = folder / "PEP-0105-generated.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more paragraph with zymurgical words.\n",
                      encoding="utf-8")
    result = build(folder, out, jobs=2)
    assert result.rendered == 1 and reads == ["PEP-0105-generated.md"]
    assert indexes == []  # nothing the lists show changed: they are not even made
    after = inodes(out)
    changed = sorted(name for name in after if after[name] != before.get(name))
    # the index, feed, API: same bytes; of the search index, its manifest, the PEP's passages and the
    # shards of the words that came (a handful of small files, never the whole index)
    assert "pep/PEP-0105-generated.html" in changed and "search/manifest.json" in changed
    assert set(changed) - {"pep/PEP-0105-generated.html"} <= {n for n in after if n.startswith("search/")}
    assert 3 <= len(changed) <= 8, changed
    assert any(b"zymurgical" in (out / name).read_bytes() for name in changed if name.startswith("search/s/"))
    # a new title: the pages that show it (the index, the API...) change too, the other PEP pages do not
    edited.write_text(edited.read_text(encoding="utf-8").replace("Generated 105", "Renamed 105"), encoding="utf-8")
    build(folder, out, jobs=2)
    again = inodes(out)
    changed = {name for name in again if again[name] != after.get(name)}
    assert {"pep/PEP-0105-generated.html", "index.html", "api/peps.json"} <= changed
    assert not [name for name in changed if name.startswith("pep/") and name != "pep/PEP-0105-generated.html"]
    assert "Renamed 105" in read(out, "index.html") and indexes == [1]
    build(folder, out, jobs=2, today=datetime.date(2031, 1, 1))  # another day: other ages on the dashboard
    assert indexes == [1, 1]
    (out / "feed.xml").unlink()  # a list gone from the output is made again
    build(folder, out, jobs=2, today=datetime.date(2031, 1, 1))
    assert indexes == [1, 1, 1] and (out / "feed.xml").exists()


def test_a_file_changed_with_its_old_size_and_time_is_still_seen(tmp_path):
    folder = copy_fixtures(tmp_path)
    out = tmp_path / "site"
    build(folder, out)
    page = folder / "PEP-0002-beta.md"
    info = page.stat()
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Beta routing", "Beta rooting"), encoding="utf-8")  # same size
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))  # same modification time: the change time differs
    assert build(folder, out).rendered >= 1 and "Beta rooting" in read(out, "pep/PEP-0002-beta.html")
