"""The portal's two languages: Chinese by default, English by ``?lang=en`` (so every page in
either language has its own link), and the words of the pages themselves in both.

The data's own words come from the API (``titleZh``/``titleEn``, ``nameZh``/``nameEn``…); only
the interface's words are here.
"""

from __future__ import annotations

from starlette.requests import Request

DEFAULT = "zh"
LANGUAGES = {"zh": "zh-CN", "en": "en"}  # ?lang= value → the page's `lang` attribute

# key → (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
    "site": ("国家技术标准创新基地（江西绿色生态）", "National Technical Standard Innovation Base (Jiangxi Green Ecology)"),
    "site_short": ("绿色生态标准创新基地", "Green Ecology Standards Base"),
    "skip": ("跳到正文", "Skip to content"),
    "nav": ("主导航", "Main navigation"),
    "home": ("首页", "Home"),
    "standards": ("标准", "Standards"),
    "notices": ("项目公示", "Public notices"),
    "statistics": ("统计", "Statistics"),
    "council": ("理事会信息公开", "Council disclosures"),
    "experts": ("专家库", "Experts"),
    "certificates": ("证书核验", "Verify a certificate"),
    "catalogs": ("追溯目录", "Traceability catalogs"),
    "switch_language": ("English", "中文"),
    "switch_language_label": ("Switch to English", "切换到中文"),
    "all_zones": ("全部试验区", "All zones"),
    "zone_view": ("试验区", "Zone"),
    "zones": ("试验区", "Zones"),
    "zone": ("试验区", "Zone"),
    "footer": ("本站数据来自平台公开 GraphQL API，各试验区可用相同接口建设自己的门户。",
               "Everything here comes from the platform's public GraphQL API; each zone can build its "
               "own portal on the same interface."),
    "api_link": ("开发者 API", "Developer API"),
    # home
    "latest_standards": ("最新发布标准", "Latest published standards"),
    "on_notice": ("公示中的项目", "Projects on public notice"),
    "year_figures": ("{year} 年数据", "{year} in figures"),
    "latest_disclosures": ("最新信息公开", "Latest disclosures"),
    "more": ("更多", "More"),
    "none_yet": ("暂无", "None yet"),
    "published_count": ("已发布标准", "Standards published"),
    "in_progress_count": ("在研标准", "Standards in progress"),
    "projects_count": ("项目总数", "Projects"),
    "notice_until": ("公示截止 {date}", "On notice until {date}"),
    # standards
    "search_standards": ("搜索标准", "Search standards"),
    "search_hint": ("输入标准编号或关键词，如 T/JXGE 001 或 茶叶", "A designation or words, e.g. T/JXGE 001 or tea"),
    "search": ("搜索", "Search"),
    "filters": ("筛选", "Filters"),
    "kind": ("类型", "Kind"),
    "category": ("类别", "Category"),
    "year": ("年份", "Year"),
    "stage": ("阶段", "Stage"),
    "sort": ("排序", "Sort"),
    "any": ("不限", "Any"),
    "results": ("共 {count} 项", "{count} found"),
    "no_results": ("没有符合条件的标准。", "No standard matches."),
    "next_page": ("下一页", "Next page"),
    "first_page": ("第一页", "First page"),
    "designations": ("编号", "Designations"),
    "released": ("发布日期", "Released"),
    "implemented": ("实施日期", "In force from"),
    "drafting_units": ("起草单位", "Drafting units"),
    "published_text": ("标准文本", "Published text"),
    "history": ("历程", "History"),
    "versions": ("版本", "Versions"),
    "revision_of": ("修订自", "Revises"),
    "under_consultation": ("正在征求意见", "Open for comments"),
    "how_to_comment": ("征求意见截止 {date}（剩余 {days} 天）。请登录工作台按条款提出意见，或通过 API 的 postComment 提交。",
                       "Comments close on {date} ({days} days left). Sign in to the workspace to comment "
                       "clause by clause, or send postComment through the API."),
    "zone_code": ("试验区", "Zone"),
    "lead": ("牵头", "lead"),
    "scope": ("范围", "Scope"),
    "not_found": ("没有找到该页面", "Page not found"),
    "not_found_text": ("链接可能已失效，或内容尚未公开。", "The link may be out of date, or the item is not public."),
    "bad_request": ("请求无效", "Invalid request"),
    "too_many": ("请求过于频繁", "Too many requests"),
    "too_many_text": ("请稍后再试。", "Please try again later."),
    "unavailable": ("服务暂时不可用", "Service unavailable"),
    "unavailable_text": ("数据库暂时无法访问，请稍后再试。", "The database cannot be reached just now; please try again shortly."),
    "page_error": ("页面出错", "Something went wrong"),
    "page_error_text": ("已记录此问题，请稍后再试。", "The problem has been logged; please try again later."),
    "kind.JOINT_LOCAL": ("联合地方标准", "Joint local standard"),
    "kind.GROUP": ("团体标准", "Group standard"),
    "stage.PROPOSAL": ("立项", "Proposal"),
    "stage.DRAFTING": ("起草", "Drafting"),
    "stage.CONSULTATION": ("征求意见", "Consultation"),
    "stage.REVIEW": ("技术审查", "Review"),
    "stage.APPROVAL": ("批准", "Approval"),
    "stage.PUBLISHED": ("已发布", "Published"),
    "stage.WITHDRAWN": ("已废止", "Withdrawn"),
    "stage.SUPERSEDED": ("已被代替", "Superseded"),
    "action.PROPOSE": ("提出立项", "Proposed"),
    "action.START_DRAFTING": ("开始起草", "Drafting started"),
    "action.OPEN_CONSULTATION": ("公开征求意见", "Consultation opened"),
    "action.CLOSE_CONSULTATION": ("征求意见结束", "Consultation closed"),
    "action.PASS_REVIEW": ("通过技术审查", "Passed review"),
    "action.FAIL_REVIEW": ("未通过技术审查", "Failed review"),
    "action.REFUSE": ("不予批准", "Refused"),
    "action.PUBLISH": ("批准发布", "Published"),
    "action.CONFIRM": ("复审确认继续有效", "Confirmed at periodic review (复审)"),
    "action.WITHDRAW": ("废止", "Withdrawn"),
    "action.SUPERSEDE": ("被代替", "Superseded"),
    "sort.RELEVANCE": ("相关度", "Relevance"),
    "sort.RELEASE_DATE": ("发布日期", "Release date"),
    "sort.NUMBER": ("顺序号", "Number"),
    "sort.CREATED": ("立项时间", "Created"),
}

# The words of the other pages (notices … catalogs) live in i18n_pages.py; no key twice.
from ecozone.portal.i18n_pages import PAGE_TEXTS  # noqa: E402

if set(PAGE_TEXTS) & set(TEXTS):
    raise RuntimeError(f"portal words defined twice: {sorted(set(PAGE_TEXTS) & set(TEXTS))}")
TEXTS.update(PAGE_TEXTS)


def language_of(request: Request) -> str:
    """``zh`` unless the URL says ``?lang=en``; anything else is the default, never an error."""
    return "en" if request.query_params.get("lang") == "en" else DEFAULT


class Translator:
    def __init__(self, language: str, texts: dict[str, tuple[str, str]] | None = None):
        self.language = language
        self.index = 0 if language == "zh" else 1
        self.texts = TEXTS if texts is None else {**TEXTS, **texts}

    def __call__(self, key: str, **values: object) -> str:
        text = self.texts[key][self.index]
        return text.format(**values) if values else text

    def pick(self, item: dict | None, field: str) -> str:
        """``item[fieldZh]`` or ``item[fieldEn]`` for the page's language, falling back to the
        other when one is empty (an English title is optional for some data)."""
        if not item:
            return ""
        first, second = ("Zh", "En") if self.index == 0 else ("En", "Zh")
        return item.get(field + first) or item.get(field + second) or ""
