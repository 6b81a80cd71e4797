"""The base's rule documents in force (章程 第三十二条): types, queries and mutations. Public to read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.graphql.common import Connection, connection, decode_id, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.results import EVERY_FAILURE, PermissionDenied, ValidationFailed, read, result_union, run
from ecozone.graphql.zones import Zone, load_zone
from ecozone.rulebook import service
from ecozone.rulebook.models import RuleDocument as DocumentModel
from ecozone.rulebook.models import RuleVersion as VersionModel

FIRST = Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")]
AFTER = Annotated[str | None, strawberry.argument(description=(
    "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for the first page. "
    "从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))]


@strawberry.type(description=("One version of a rule document: its full text, when it took effect, and the full "
                              "meeting's motion and the consultation behind it (第三十二条); public. 制度文件的一个版本：全文、施行"
                              "日期，以及通过它的全体会议动议和征求意见（第三十二条）；公开。"))
class CouncilRuleVersion(relay.Node):
    id: relay.NodeID[int]
    number: int = strawberry.field(description="1, 2, 3 … in the order adopted. 版本序号，按通过先后。")
    text: str = strawberry.field(description="The full text. 全文。")
    change_note_zh: str | None = strawberry.field(description="What changed, in Chinese; null if not said. 修订说明（中文）。")
    change_note_en: str | None = strawberry.field(description="What changed, in English; null if not said. 修订说明（英文）。")
    adopted_on: dt.date = strawberry.field(description="The day the full meeting adopted it. 全体会议表决通过的日期。")
    effective_from: dt.date = strawberry.field(description="The day it takes effect. 施行日期。")
    model: strawberry.Private[VersionModel]

    @classmethod
    def from_model(cls, v: VersionModel) -> CouncilRuleVersion:
        return cls(id=v.id, number=v.number, text=v.text, change_note_zh=v.change_note_zh,
                   change_note_en=v.change_note_en, adopted_on=v.adopted_on, effective_from=v.effective_from, model=v)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, VersionModel, list(node_ids))]

    @strawberry.field(description=("Global ID of the passed CouncilMotion that adopted it (readable by the zone's "
                                   "council); null for the text recorded as adopted before the platform. 通过该版本的动议"
                                   "（CouncilMotion）全局 ID；平台启用前已通过的文本为 null。"))
    def motion_id(self) -> relay.GlobalID | None:
        return relay.GlobalID("CouncilMotion", str(self.model.motion_id)) if self.model.motion_id else None

    @strawberry.field(description=("Global ID of the document consultation held on the draft; null for the text "
                                   "recorded as adopted before the platform. 草案征求意见（Consultation）的全局 ID；平台启用前的文本为 null。"))
    def consultation_id(self) -> relay.GlobalID | None:
        return relay.GlobalID("Consultation", str(self.model.consultation_id)) if self.model.consultation_id else None


@strawberry.type(description=("One of the base's own rules — the Measures (办法), the Charter (章程) or a later rule — with "
                              "its versions; public. 创新基地的制度文件（管理办法、理事会章程或其他制度）及其各版本；公开。"))
class CouncilRuleDocument(relay.Node):
    id: relay.NodeID[int]
    key: str = strawberry.field(description="Its key in the zone, e.g. charter, measures. 在本区的标识，如 charter、measures。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    model: strawberry.Private[DocumentModel]

    @classmethod
    def from_model(cls, d: DocumentModel) -> CouncilRuleDocument:
        return cls(id=d.id, key=d.key, title_zh=d.title_zh, title_en=d.title_en, model=d)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, DocumentModel, list(node_ids))]

    @strawberry.field(description="The zone whose rule it is. 所属试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)

    @strawberry.field(description="Every version, oldest first. 全部版本，按先后。")
    async def versions(self, info: Info) -> list[CouncilRuleVersion]:
        rows = await info.context.loaders.grouped(VersionModel, "document_id",
                                                  order=(VersionModel.document_id, VersionModel.number)).load(self.id)
        return [CouncilRuleVersion.from_model(v) for v in rows]


CouncilRuleDocumentResult = result_union("CouncilRuleDocumentResult", CouncilRuleDocument, *EVERY_FAILURE,
                                         how_to_select=False)
CouncilRuleVersionResult = result_union("CouncilRuleVersionResult", CouncilRuleVersion, *EVERY_FAILURE,
                                        how_to_select=False)
CouncilRuleDocumentConnectionResult = result_union("CouncilRuleDocumentConnectionResult",
                                                   Connection[CouncilRuleDocument], PermissionDenied, ValidationFailed,
                                                   how_to_select=False)


@strawberry.input(description=("Secretariat: record a rule of the zone with the text adopted before the platform kept "
                               "the record, as version 1. 秘书处：登记本区制度文件及平台启用前已通过的文本（第 1 版）。"))
class RegisterCouncilRuleDocumentInput:
    key: str = strawberry.field(description="Key, e.g. charter or measures. 标识，如 charter、measures。")
    title_zh: str = strawberry.field(description="Title in Chinese (1–200). 中文标题（1–200 字）。")
    title_en: str = strawberry.field(description="Title in English (1–300). 英文标题（1–300 字符）。")
    text: str = strawberry.field(description="The full text in force. 施行中的全文。")
    adopted_on: dt.date = strawberry.field(description="The day it was adopted (not in the future). 通过日期（不晚于今天）。")
    effective_from: dt.date = strawberry.field(description="The day it took effect. 施行日期。")


@strawberry.input(description=("Secretariat: record a new version a full meeting adopted after a document "
                               "consultation (第三十二条). 秘书处：登记全体会议在征求意见后表决通过的新版本（第三十二条）。"))
class AdoptCouncilRuleVersionInput:
    document_id: relay.GlobalID = strawberry.field(description="The CouncilRuleDocument of this zone. 本区的制度文件。")
    motion_id: relay.GlobalID = strawberry.field(description=(
        "The passed CouncilMotion of a general (full) meeting of this zone, used for no other version. "
        "本区全体会议已通过、未用于其他版本的动议（CouncilMotion）。"))
    consultation_id: relay.GlobalID = strawberry.field(description=(
        "The Consultation on the draft: a document consultation of this zone, closed by the meeting's day. "
        "草案的征求意见（Consultation）：本区的文件征求意见，须在会议之日前结束。"))
    text: str = strawberry.field(description="The full text as adopted. 通过的全文。")
    effective_from: dt.date = strawberry.field(description=(
        "The day it takes effect: not before the meeting, after the current version's. 施行日期：不早于会议日期，且晚于现行版本。"))
    change_note_zh: str | None = strawberry.field(default=None, description="What changed, in Chinese. 修订说明（中文）。")
    change_note_en: str | None = strawberry.field(default=None, description="What changed, in English. 修订说明（英文）。")


@strawberry.type
class CouncilRulebookQuery:
    @strawberry.field(description=("The base's rule documents, of every zone or one; anyone. 各试验区（或某一试验区）的制度文件；"
                                   "任何人可查看。"))
    async def council_rule_documents(self, info: Info, zone: Annotated[str | None, strawberry.argument(
            description="Only this zone's (slug). 仅该试验区（slug）的。")] = None, first: FIRST = 20,
            after: AFTER = None) -> CouncilRuleDocumentConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.documents_page(
            ctx.session, ctx.actor, zone_slug=zone, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size), lambda page: connection(page, CouncilRuleDocument.from_model))

    @strawberry.field(description=("The version of a zone's rule in force on a day (today in China by default); "
                                   "NotFound before its first version; anyone. 某试验区某制度文件在某日（默认今天，北京时间）施行的版本；"
                                   "首个版本施行前返回 NotFound；任何人可查看。"))
    async def council_rule_in_force(self, info: Info, zone: Annotated[str, strawberry.argument(
            description="The zone (slug). 试验区（slug）。")], key: Annotated[str, strawberry.argument(
            description="The document's key, e.g. charter. 文件标识，如 charter。")], on: Annotated[dt.date | None, strawberry.argument(
            description="The day; today in China if omitted. 日期；省略时为今天（北京时间）。")] = None) -> CouncilRuleVersionResult:
        ctx = info.context
        return await read(info, lambda: service.version_in_force(ctx.session, ctx.actor, zone_slug=zone, key=key, on=on),
                          CouncilRuleVersion.from_model)


@strawberry.type
class CouncilRulebookMutation:
    @strawberry.mutation(description=("Secretariat: record a rule document of the zone (version 1). 秘书处：登记本区制度文件（第 1 版）。"))
    async def register_council_rule_document(self, info: Info, input: Annotated[RegisterCouncilRuleDocumentInput, strawberry.argument(
            description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilRuleDocumentResult:
        ctx = info.context
        return await run(info, lambda: service.register_document(
            ctx.session, ctx.actor, key=input.key, title_zh=input.title_zh, title_en=input.title_en, text=input.text,
            adopted_on=input.adopted_on, effective_from=input.effective_from), CouncilRuleDocument.from_model)

    @strawberry.mutation(description=("Secretariat: record a version adopted by a full meeting's passed motion after a "
                                      "document consultation (第三十二条). 秘书处：登记全体会议在征求意见后表决通过的版本（第三十二条）。"))
    async def adopt_council_rule_version(self, info: Info, input: Annotated[AdoptCouncilRuleVersionInput, strawberry.argument(
            description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilRuleVersionResult:
        ctx = info.context
        return await run(info, lambda: service.adopt_version(
            ctx.session, ctx.actor, document_id=decode_id(input.document_id, "CouncilRuleDocument", "documentId"),
            motion_id=decode_id(input.motion_id, "CouncilMotion", "motionId"),
            consultation_id=decode_id(input.consultation_id, "Consultation", "consultationId"), text=input.text,
            effective_from=input.effective_from, change_note_zh=input.change_note_zh,
            change_note_en=input.change_note_en), CouncilRuleVersion.from_model)
