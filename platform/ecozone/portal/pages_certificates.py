"""``/certificates?code=``: verify a training certificate: the holder's name as the holder
chose to show it and the programme, or plainly that no certificate has that code."""

from __future__ import annotations

import re

from starlette.responses import Response

from ecozone.portal.forms import Choice, FilterForm
from ecozone.portal.rendering import Page

MAX_CODE_LENGTH = 40  # a code is 20 characters with its dashes; room for spaces people type
# What may be typed into a code: letters, digits, dashes, spaces (the API normalises them) and
# the check symbols * ~ $ = that a code's last character may be (talent/rules.py CHECK_ALPHABET).
CODE_CHARACTERS = re.compile(r"[A-Za-z0-9 \-*~$=]*")


def code_choice() -> Choice:
    def parse(raw: str) -> str:
        value = Choice.text(MAX_CODE_LENGTH).parse(raw)
        if not CODE_CHARACTERS.fullmatch(value):
            raise ValueError(("只能包含字母、数字、空格、连字符和校验符 * ~ $ =",
                              "may contain only letters, digits, spaces, dashes and the check symbols * ~ $ ="))
        return value
    return Choice(parse)


async def certificates(page: Page) -> Response:
    form = FilterForm(page, {"code": code_choice()})
    if form.errors:
        return page.render("certificates.html", status=400, form=form, result=None)
    code = form.values.get("code")
    if not code:
        await page.query("zones")  # the header's zones, as every page asks
        return page.render("certificates.html", form=form, result=None)
    data = await page.query("certificate", {"code": code})
    return page.render("certificates.html", form=form, code=code, result=data["verifyCertificate"])


PAGES = [
    ("/certificates", certificates),
]
