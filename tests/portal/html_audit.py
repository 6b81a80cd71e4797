"""What can be checked of a page's accessibility from its HTML alone, without a browser: the
document's language, one ``h1``, the landmarks, a label for every form control, names for
several navigations, alternative text, unique ids; and the assets it makes a browser fetch."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

LANDMARKS = ("header", "nav", "main", "footer")
LABELLED_BY_ATTRIBUTE = ("aria-label", "aria-labelledby", "title")
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}  # named by their value/alt


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    inside_label: bool


@dataclass
class Audit(HTMLParser):
    html_lang: str | None = None
    h1: int = 0
    landmarks: dict[str, int] = field(default_factory=dict)
    navs: list[dict[str, str]] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    label_targets: set[str] = field(default_factory=set)
    ids: list[str] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    _labels_open: int = 0

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs_list) -> None:
        attrs = {k: (v or "") for k, v in attrs_list}
        if "id" in attrs:
            self.ids.append(attrs["id"])
        role = attrs.get("role")
        if tag == "html":
            self.html_lang = attrs.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "label":
            self._labels_open += 1
            if attrs.get("for"):
                self.label_targets.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            if not (tag == "input" and attrs.get("type", "text") in UNLABELLED_INPUTS):
                self.controls.append(Control(tag, attrs, self._labels_open > 0))
        elif tag == "img" and "alt" not in attrs:
            self.images_without_alt.append(attrs.get("src", "?"))
        elif tag == "link" and "stylesheet" in attrs.get("rel", "").split():
            self.stylesheets.append(attrs.get("href", ""))
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if tag in LANDMARKS:
            self.landmarks[tag] = self.landmarks.get(tag, 0) + 1
        landmark_roles = {"banner": "header", "navigation": "nav", "main": "main", "contentinfo": "footer"}
        if role in landmark_roles:
            self.landmarks[landmark_roles[role]] = self.landmarks.get(landmark_roles[role], 0) + 1
        if tag == "nav" or role == "navigation":
            self.navs.append(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._labels_open:
            self._labels_open -= 1

    def problems(self, expected_lang: str) -> list[str]:
        found = []
        if self.html_lang != expected_lang:
            found.append(f'<html lang="{self.html_lang}">, expected "{expected_lang}"')
        if self.h1 != 1:
            found.append(f"{self.h1} h1 elements, expected one")
        found += [f"no <{landmark}> landmark" for landmark in LANDMARKS if not self.landmarks.get(landmark)]
        if self.landmarks.get("main", 0) > 1:
            found.append("more than one main landmark")
        if len(self.navs) > 1:
            found += [f"navigation without a name among {len(self.navs)}: {nav}" for nav in self.navs
                      if not any(nav.get(a) for a in ("aria-label", "aria-labelledby"))]
        for control in self.controls:
            named = (control.inside_label or control.attrs.get("id") in self.label_targets
                     or any(control.attrs.get(a) for a in LABELLED_BY_ATTRIBUTE))
            if not named:
                found.append(f"<{control.tag} name={control.attrs.get('name')!r}> has no label")
        found += [f"<img src={src!r}> without alt" for src in self.images_without_alt]
        duplicates = sorted({i for i in self.ids if self.ids.count(i) > 1})
        if duplicates:
            found.append(f"duplicate ids: {duplicates}")
        return found


def audit(html: str) -> Audit:
    parser = Audit()
    parser.feed(html)
    parser.close()
    return parser
