"""The annual tests' operations: council motions through HTTP, plans, reports and funds.

The council (units, officers) is seeded directly by ``tests.governance.council_client``; the
motions a plan or report is put to are proposed, voted on and counted through the API.
"""

from __future__ import annotations

from tests.governance.council_client import Council, opened_meeting
from tests.support.api import gid

FAIL = "... on ValidationFailed { fieldErrors { field code message messageZh } } " \
       "... on ArticleRefusal { articleZh articleEn } ... on Failure { code message messageZh }"
PLAN_FIELDS = "__typename ... on AnnualPlan { id year state titleZh motionId items { totalCount edges { node { " \
              "id seq source titleZh budget progress project { id state } } } } } " + FAIL
ITEM_FIELDS = "__typename ... on AnnualPlanItem { id seq source budget progress progressNote } " + FAIL
REPORT_NODE = "id year kind state textZh textEn motionId " \
                "workFigures { projectsTotal councilMeetings councilGeneralMeetings motionsPassed planItems " \
                "projectsByState { state count } planItemsByProgress { progress count } } " \
                "financialFigures { year entries incomeTotal spendingTotal balance incomeBudget spendingBudget " \
                "income { incomeSource budget actual perMille } spending { businessArea budget actual perMille } " \
                "items { seq spent budget } }"
REPORT_FIELDS = "__typename ... on AnnualReport { " + REPORT_NODE + " } " + FAIL
ENTRY_FIELDS = "__typename ... on FundEntry { id direction amount source businessArea nature planItemId " \
               "payeeMemberUnitId payerMemberUnitId bookedOn year } " + FAIL

DRAFT_PLAN = "mutation($input: DraftAnnualPlanInput!) { draftAnnualPlan(input: $input) { " + PLAN_FIELDS + " } }"
ADD_ITEM = "mutation($input: AddAnnualPlanItemInput!) { addAnnualPlanItem(input: $input) { " + ITEM_FIELDS + " } }"
PROGRESS = ("mutation($input: RecordAnnualPlanItemProgressInput!) { recordAnnualPlanItemProgress(input: $input) { "
            + ITEM_FIELDS + " } }")
SUBMIT_PLAN = "mutation($input: SubmitAnnualPlanInput!) { submitAnnualPlan(input: $input) { " + PLAN_FIELDS + " } }"
ADOPT_PLAN = "mutation($id: ID!) { adoptAnnualPlan(input: {planId: $id}) { " + PLAN_FIELDS + " } }"
WITHDRAW_PLAN = "mutation($id: ID!) { withdrawAnnualPlan(input: {planId: $id}) { " + PLAN_FIELDS + " } }"
PLANS = ("query($zone: String, $year: Int) { annualPlans(zone: $zone, year: $year) { __typename "
         "... on AnnualPlanConnection { totalCount edges { node { id year state items { edges { node { "
         "seq source progress budget project { id } } } } } } } } }")
DRAFT_REPORT = "mutation($input: DraftAnnualReportInput!) { draftAnnualReport(input: $input) { " + REPORT_FIELDS + " } }"
SUBMIT_REPORT = ("mutation($input: SubmitAnnualReportInput!) { submitAnnualReport(input: $input) { "
                 + REPORT_FIELDS + " } }")
ADOPT_REPORT = "mutation($id: ID!) { adoptAnnualReport(input: {reportId: $id}) { " + REPORT_FIELDS + " } }"
DISCLOSURES = ("query($zone: String, $year: Int) { annualDisclosures(zone: $zone, year: $year) { __typename "
               "... on AnnualReportConnection { totalCount edges { node { " + REPORT_NODE + " } } } } }")
REPORTS = ("query { annualReports { __typename ... on AnnualReportConnection { totalCount edges { node { id state kind } } } } }")
INCOME = "mutation($input: RecordFundIncomeInput!) { recordFundIncome(input: $input) { " + ENTRY_FIELDS + " } }"
SPEND = "mutation($input: RecordFundSpendingInput!) { recordFundSpending(input: $input) { " + ENTRY_FIELDS + " } }"
BUDGET = ("mutation($input: SetFundBudgetLineInput!) { setFundBudgetLine(input: $input) { __typename "
          "... on FundBudgetLine { year direction incomeSource businessArea amount } " + FAIL + " } }")
EXECUTION = ("query($year: Int!) { fundExecution(year: $year) { __typename ... on FundExecution { year entries "
             "incomeTotal spendingTotal balance incomeBudget spendingBudget "
             "income { incomeSource nameZh budget actual perMille } spending { businessArea budget actual perMille } "
             "items { planItemId seq spent budget } } ... on Failure { code message } } }")
ENTRIES = ("query($year: Int!, $after: String) { fundEntries(year: $year, first: 2, after: $after) { __typename "
           "... on FundEntryConnection { totalCount pageInfo { hasNextPage endCursor } edges { node { id amount } } } "
           "... on Failure { code message } } }")
PROPOSE = """mutation($input: ProposeCouncilMotionInput!) { proposeCouncilMotion(input: $input) {
  __typename ... on CouncilMotion { id state } ... on Failure { code message } } }"""
START = """mutation($id: ID!) { startCouncilVote(input: {motionId: $id}) { __typename ... on CouncilMotion { state }
  ... on Failure { code message } } }"""
RECORD = """mutation($input: RecordCouncilVotesInput!) { recordCouncilVotes(input: $input) { __typename
  ... on Failure { code message } } }"""
COUNT = """mutation($id: ID!) { countCouncilVotes(input: {motionId: $id}) { __typename
  ... on CouncilTally { passed } ... on Failure { code message } } }"""
REVERSE = ("mutation($id: ID!, $reason: String!) { reverseFundEntry(input: {entryId: $id, reason: $reason}) { "
           "__typename ... on FundEntry { id amount reversesEntryId bookedOn year } "
           "... on ValidationFailed { fieldErrors { field code } } ... on Failure { code message messageZh } } }")
APPROVE_PROJECT = """mutation($id: ID!) { approveProject(input: {id: $id}) { __typename ... on Project { id state }
  ... on Failure { code message } } }"""


async def meeting(api, council: Council, kind: str = "GENERAL", **call_args) -> str:
    """A meeting of ``council`` in session, units 0–5 present (quorum of 9 with five vice-chairs)."""
    extra = {"proposedByCouncil": True} if kind == "AD_HOC" else {}
    return await opened_meeting(api, council, list(range(6)), kind=kind, **extra, **call_args)


async def motion(api, council: Council, meeting_id: str, title: str = "年度文件审议") -> str:
    data = await api.gql(PROPOSE, {"input": {"meetingId": meeting_id, "titleZh": title, "titleEn": "Annual document",
                                             "kind": "ORDINARY"}}, user=council.secretary, zone=council.zone)
    assert data["proposeCouncilMotion"]["state"] == "PROPOSED", data
    return data["proposeCouncilMotion"]["id"]


async def vote(api, council: Council, motion_id: str, *, passes: bool = True) -> None:
    """Start the vote, record six votes (units 0–5) and count: 6 yes passes, 1 yes of 6 fails."""
    z, s = council.zone, council.secretary
    assert (await api.gql(START, {"id": motion_id}, user=s, zone=z))["startCouncilVote"]["state"] == "VOTING"
    choices = ["YES"] * 6 if passes else ["YES"] + ["NO"] * 5
    await api.gql(RECORD, {"input": {"motionId": motion_id, "votes": [
        {"memberUnitId": council.unit(i), "choice": c} for i, c in enumerate(choices)]}}, user=s, zone=z)
    counted = await api.gql(COUNT, {"id": motion_id}, user=s, zone=z)
    assert counted["countCouncilVotes"]["passed"] is passes, counted


async def mutate(api, query: str, variables: dict, user: str, zone: str) -> dict:
    data = await api.gql(query, variables, user=user, zone=zone)
    return next(iter(data.values()))


async def draft_plan(api, council: Council, year: int = 2026) -> dict:
    plan = await mutate(api, DRAFT_PLAN, {"input": {"year": year}}, council.secretary, council.zone)
    assert plan["__typename"] == "AnnualPlan", plan
    return plan


async def proposed_project(api, zone: str, proposer: str, title: str = "茶叶追溯标准研究") -> str:
    """A project proposed in ``zone`` (set up directly: its proposal is not under test here)."""
    from ecozone.projects.models import Project
    from ecozone.tenancy.models import Zone
    from sqlalchemy import select

    async def work(session):
        zone_id = await session.scalar(select(Zone.id).where(Zone.slug == zone))
        project = Project(zone_id=zone_id, kind="standard_development", title_zh=title, title_en="Tea traceability",
                          summary="研制茶叶追溯标准", proposer_id=api.users[proposer], proposer_unit="测试成员单位1",
                          lead_unit="测试成员单位1", state="proposed", year=2026)
        session.add(project)
        await session.flush()
        return project.id
    return gid("Project", await api.operator(work))
