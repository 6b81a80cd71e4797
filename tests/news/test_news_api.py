"""News through HTTP on both databases: a zone's office drafts, publishes and withdraws bilingual
articles; the Atom feeds (parsed back with feedparser) merge them with the platform's own public
events, derived at read time; hostile callers get typed refusals."""

from __future__ import annotations

import datetime as dt

import feedparser

from tests.support.api import gid

FAILURE = "... on Failure { code message messageZh } ... on ValidationFailed { fieldErrors { field code } }"
ARTICLE = f"__typename ... on NewsArticle {{ id kind state titleZh titleEn publishedAt zone {{ slug }} }} {FAILURE}"
TEXTS = {"kind": "ANNOUNCEMENT", "titleZh": "关于召开四省标准化联席会议的通知",
         "titleEn": "Notice of the four zones' standardisation meeting",
         "bodyZh": "定于三月在南昌召开。", "bodyEn": "To be held in Nanchang in March."}


async def op(api, mutation: str, input_: dict, user: str | None, zone: str | None) -> dict:
    input_type = mutation[0].upper() + mutation[1:] + "Input"
    query = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {ARTICLE} }} }}"
    return (await api.gql(query, {"input": input_}, user=user, zone=zone))[mutation]


async def people(api) -> None:
    for username, zone, roles in (("jx-secretary", "jiangxi", ("secretary",)), ("jx-director", "jiangxi", ("director",)),
                                  ("jx-member", "jiangxi", ("member",)), ("gz-secretary", "guizhou", ("secretary",)),
                                  ("fj-secretary", "fujian", ("secretary",))):
        await api.add_user(username, zone, *roles)


async def project_on_notice(api) -> str:
    """A Jiangxi member's project, approved and put on public notice by Jiangxi's secretary."""
    fields = "__typename ... on Project { id } ... on Failure { code message }"
    proposed = (await api.gql(f"""mutation($input: ProposeProjectInput!) {{ proposeProject(input: $input) {{ {fields} }} }}""",
                              {"input": {"kind": "RESEARCH_TOPIC", "titleZh": "绿色生态标准体系研究",
                                         "titleEn": "Green ecology standard system", "summary": "研究标准体系。",
                                         "proposerUnit": "某研究院"}}, user="jx-member", zone="jiangxi"))["proposeProject"]
    for action in ("approveProject", "openProjectNotice"):
        done = await api.gql(f"mutation($input: {action[0].upper() + action[1:]}Input!) {{ {action}(input: $input) "
                             f"{{ {fields} }} }}", {"input": {"id": proposed["id"]}}, user="jx-secretary", zone="jiangxi")
        assert done[action]["__typename"] == "Project", done
    return proposed["id"]


def parse(response) -> feedparser.FeedParserDict:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    return parsed


async def test_an_office_drafts_publishes_and_withdraws(api):
    await people(api)
    draft = await op(api, "draftNewsArticle", TEXTS, "jx-secretary", "jiangxi")
    assert (draft["state"], draft["kind"], draft["zone"]["slug"], draft["publishedAt"]) == (
        "DRAFT", "ANNOUNCEMENT", "jiangxi", None)
    query = """query($id: ID!) { newsArticle(id: $id) { __typename }
      newsArticles { ... on NewsArticleConnection { totalCount } } }"""
    for user, zone, seen in ((None, None, False), ("jx-member", "jiangxi", False), ("gz-secretary", "guizhou", False),
                             ("jx-director", "jiangxi", True)):
        data = await api.gql(query, {"id": draft["id"]}, user=user, zone=zone)
        assert (data["newsArticle"]["__typename"] == "NewsArticle", data["newsArticles"]["totalCount"]) == (
            seen, int(seen)), user
    edited = await op(api, "editNewsArticle", {**TEXTS, "id": draft["id"], "kind": "NEWS", "titleEn": "Meeting"},
                      "jx-secretary", "jiangxi")
    assert (edited["kind"], edited["titleEn"]) == ("NEWS", "Meeting")
    published = await op(api, "publishNewsArticle", {"id": draft["id"]}, "jx-director", "jiangxi")
    assert published["state"] == "PUBLISHED"
    assert dt.datetime.fromisoformat(published["publishedAt"]).utcoffset() == dt.timedelta(0)
    data = await api.gql(query, {"id": draft["id"]})
    assert data["newsArticle"]["__typename"] == "NewsArticle" and data["newsArticles"]["totalCount"] == 1
    # Published: no more edits; withdrawn: off the public lists, editable again as a draft.
    again = await op(api, "editNewsArticle", {**TEXTS, "id": draft["id"]}, "jx-secretary", "jiangxi")
    assert again["code"] == "illegal_transition" and again["messageZh"]
    assert (await op(api, "withdrawNewsArticle", {"id": draft["id"]}, "jx-secretary", "jiangxi"))["state"] == "WITHDRAWN"
    assert (await api.gql(query, {"id": draft["id"]}))["newsArticle"]["__typename"] == "NotFound"
    assert (await op(api, "editNewsArticle", {**TEXTS, "id": draft["id"]}, "jx-secretary", "jiangxi"))["state"] == "DRAFT"


async def test_hostile_callers(api):
    await people(api)
    draft = await op(api, "draftNewsArticle", TEXTS, "jx-secretary", "jiangxi")
    # A member, an anonymous caller: no role for it.
    assert (await op(api, "draftNewsArticle", TEXTS, "jx-member", "jiangxi"))["__typename"] == "PermissionDenied"
    assert (await op(api, "draftNewsArticle", TEXTS, None, None))["__typename"] == "PermissionDenied"
    # Another zone's office: cannot see Jiangxi's draft, so cannot publish or edit it.
    assert (await op(api, "publishNewsArticle", {"id": draft["id"]}, "gz-secretary", "guizhou"))["code"] == "not_found"
    assert (await op(api, "editNewsArticle", {**TEXTS, "id": draft["id"]}, "fj-secretary", "fujian"))["code"] == "not_found"
    # Once published, another zone's office sees it but may not withdraw it.
    await op(api, "publishNewsArticle", {"id": draft["id"]}, "jx-secretary", "jiangxi")
    refused = await op(api, "withdrawNewsArticle", {"id": draft["id"]}, "gz-secretary", "guizhou")
    assert refused["__typename"] == "PermissionDenied" and "所属试验区" in refused["messageZh"]
    # Forged IDs and missing texts.
    for forged in (gid("Zone", 1), gid("NewsArticle", 999), "bm9wZQ==", gid("NewsArticle", -1)):
        assert (await op(api, "publishNewsArticle", {"id": forged}, "jx-secretary", "jiangxi"))["code"] == "not_found"
    bad = await op(api, "draftNewsArticle", {**TEXTS, "titleZh": " ", "bodyEn": "", "titleEn": "x" * 301},
                   "jx-secretary", "jiangxi")
    assert bad["fieldErrors"] == [{"field": "titleZh", "code": "required"}, {"field": "titleEn", "code": "length"},
                                  {"field": "bodyEn", "code": "required"}]


async def test_the_feeds_merge_articles_with_public_events(api):
    await people(api)
    article = await op(api, "draftNewsArticle", TEXTS, "jx-secretary", "jiangxi")
    await op(api, "publishNewsArticle", {"id": article["id"]}, "jx-secretary", "jiangxi")
    await op(api, "draftNewsArticle", {**TEXTS, "titleZh": "草稿不应出现"}, "jx-secretary", "jiangxi")
    guizhou = await op(api, "draftNewsArticle", {**TEXTS, "titleZh": "贵州动态", "titleEn": "Guizhou news"},
                       "gz-secretary", "guizhou")
    await op(api, "publishNewsArticle", {"id": guizhou["id"]}, "gz-secretary", "guizhou")
    await project_on_notice(api)   # an automatic entry: the notice opened (办法 第十一条)

    base = parse(await api.client.get("/feeds/news.atom"))
    titles = [e.title for e in base.entries]
    assert len(titles) == 3 and "草稿不应出现" not in " ".join(titles)
    assert titles[0] == "项目公示：绿色生态标准体系研究"          # newest first
    assert {"贵州动态", TEXTS["titleZh"]} <= set(titles)
    notice = base.entries[0]
    assert notice.tags[0].term == "project_notice" and "第十一条" in notice.content[0].value
    assert all(e.updated_parsed and e.id.startswith("tag:ecozone,2024:") for e in base.entries)
    assert base.feed.language == "zh-CN" and base.feed.id == "tag:ecozone,2024:feeds/base/news"
    english = parse(await api.client.get("/feeds/news.atom?lang=en"))
    assert english.entries[0].title == "Project on public notice: Green ecology standard system"

    jiangxi = parse(await api.client.get("/feeds/jiangxi/news.atom"))
    assert [e.tags[0].term for e in jiangxi.entries] == ["project_notice", "announcement"]
    assert parse(await api.client.get("/feeds/hainan/news.atom")).entries == []

    # Pages of one entry, following rel="next" (RFC 5005) to the end.
    seen, url = [], "/feeds/news.atom?limit=1"
    while url:
        page = parse(await api.client.get(url))
        seen += [e.id for e in page.entries]
        url = next((link.href.removeprefix("http://ecozone.test") for link in page.feed.links if link.rel == "next"),
                   None)
    assert seen == [e.id for e in base.entries]

    # The same entries through GraphQL.
    data = await api.gql("""{ newsFeed(first: 2) { ... on NewsFeedEntryConnection { edges { node { kind titleZh
        zone { slug } } } pageInfo { hasNextPage endCursor } } } }""")
    feed = data["newsFeed"]
    assert feed["edges"][0]["node"]["kind"] == "PROJECT_NOTICE" and feed["pageInfo"]["hasNextPage"]
    rest = await api.gql("query($a: String) { newsFeed(first: 2, after: $a) { ... on NewsFeedEntryConnection { "
                         "edges { node { key } } pageInfo { hasNextPage } } } }", {"a": feed["pageInfo"]["endCursor"]})
    assert len(rest["newsFeed"]["edges"]) == 1 and not rest["newsFeed"]["pageInfo"]["hasNextPage"]


async def test_bad_feed_requests_are_typed_refusals(api):
    for url, status in (("/feeds/news.atom?lang=fr", 400), ("/feeds/news.atom?limit=0", 400),
                        ("/feeds/news.atom?limit=101", 400), ("/feeds/news.atom?limit=-1", 400),
                        ("/feeds/news.atom?limit=abc", 400), ("/feeds/news.atom?limit=99999999999", 400),
                        ("/feeds/news.atom?before=garbage", 400), ("/feeds/news.atom?before=W10", 400),
                        ("/feeds/news.atom?before=WyJ4IiwgMV0", 400), ("/feeds/atlantis/news.atom", 404)):
        response = await api.client.get(url)
        assert response.status_code == status, (url, response.text)
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] in ("VALIDATION_FAILED", "NOT_FOUND") and error["extensions"]["messageZh"]
    data = await api.gql('{ newsFeed(after: "garbage") { __typename } a: newsFeed(zone: "atlantis") { __typename } }')
    assert (data["newsFeed"]["__typename"], data["a"]["__typename"]) == ("ValidationFailed", "NotFound")
