"""Certificate verification through HTTP on both engines with the demo data: a valid code (as
printed, in lower case, without dashes) shows the programme and the holder's name only as the
holder chose, in the ``role="status"`` region; a code never issued says so there; odd or
overlong input is a 400 with the reason in both languages, never a 5xx."""

from __future__ import annotations

import re

import pytest

from tests.portal.test_pages import ZONES, get, main_of

VERIFY = """query($code: String!) { verifyCertificate(code: $code) { __typename
  ... on CertificateVerification { code valid holderName programme { titleZh titleEn } hostZone { nameZh } } } }"""


async def certificates(api) -> list[tuple[str, str, str]]:
    """(code, holder's full name, how the holder lets it show) of every certificate."""
    async def read(session):
        from ecozone.talent.models import Certificate
        from sqlalchemy import select
        return [tuple(row) for row in (await session.execute(select(
            Certificate.code, Certificate.holder_name, Certificate.name_display).order_by(Certificate.id))).all()]
    return await api.operator(read)


def status_of(html: str) -> str:
    found = re.search(r'<div class="status[^"]*" role="status">(.*?)</div>\s*</div>', html, re.DOTALL)
    assert found, "no status region"
    return found.group(1)


@pytest.mark.parametrize("language, html_lang", [(None, "zh-CN"), ("en", "en")])
async def test_the_form_in_every_zone_and_both_languages(demo_api, language, html_lang):
    for prefix in ("", *(f"/{zone}" for zone in ZONES)):
        response = await get(demo_api, prefix + "/certificates" + ("?lang=en" if language else ""))
        assert response.status_code == 200
        html = response.text
        assert f'<html lang="{html_lang}">' in html and len(re.findall(r"<h1[ >]", html)) == 1
        assert '<label for="code">' in html and 'name="code"' in html
        assert 'role="status"' not in html  # nothing asked, nothing to say


async def test_a_valid_code_shows_the_programme_and_the_name_as_the_holder_chose(demo_api):
    issued = await certificates(demo_api)
    assert {display for _, _, display in issued} >= {"full", "masked"}, "the demo has both kinds"
    for code, full_name, display in issued:
        facts = (await demo_api.gql(VERIFY, {"code": code}))["verifyCertificate"]
        assert facts["__typename"] == "CertificateVerification"
        for typed in (code, code.lower(), code.replace("-", ""), f"  {code} "):
            for prefix, language in (("", None), ("/guizhou", "en")):
                params = {"code": typed, **({"lang": language} if language else {})}
                response = await demo_api.client.get(prefix + "/certificates", params=params,
                                                     headers={"Accept": "text/html"})
                assert response.status_code == 200
                status = status_of(response.text)
                assert facts["programme"]["titleZh" if not language else "titleEn"] in status
                assert facts["code"] in status
                if facts["holderName"]:
                    assert facts["holderName"] in status
                # the full name shows only where the holder lets it
                assert (full_name in main_of(response.text)) == (display == "full"), (display, typed)


async def test_a_code_never_issued_says_so_in_the_status_region(demo_api):
    code = (await certificates(demo_api))[0][0]
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    for typed in (forged, "AAAAA-AAAAA-AAAAA-A", "12345", "x"):
        for language, words in ((None, "没有编号为"), ("en", "There is no certificate with the code")):
            params = {"code": typed, **({"lang": language} if language else {})}
            response = await demo_api.client.get("/certificates", params=params, headers={"Accept": "text/html"})
            assert response.status_code == 200, typed
            status = status_of(response.text)
            assert words in status and "not-found" in response.text


@pytest.mark.parametrize("typed", ["<script>alert(1)</script>", "'; DROP TABLE training_certificates; --",
                                   "证书编号", "A" * 41, "ABCDE\x00", "GS10R/AHDXG", "%"])
async def test_odd_or_overlong_input_is_a_400_in_both_languages(demo_api, typed):
    for language, words in ((None, ("只能包含", "不能超过")), ("en", ("may contain only", "at most"))):
        params = {"code": typed, **({"lang": language} if language else {})}
        response = await demo_api.client.get("/certificates", params=params, headers={"Accept": "text/html"})
        assert response.status_code == 400, typed
        status = status_of(response.text)
        assert any(word in status for word in words), typed
        assert "<script>alert" not in response.text
