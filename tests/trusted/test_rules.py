"""Trusted documents' pure rules (ecozone/trusted/rules.py): every refusal and boundary."""

from __future__ import annotations

import hashlib
import json

import pytest
from ecozone.trusted.rules import (
    MAX_DOCUMENT_BYTES,
    RuleBroken,
    check_client_name,
    client_key,
    document_id,
    entries_of_file,
    hash_secret,
    may_run_unregistered,
    new_secret,
    parse_apollo_hash,
    parse_document_id,
    secret_matches,
    split_client_key,
)

TEXT = "query Zones { zones { totalCount } }"
HEX = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()


def test_the_id_is_the_sha256_of_the_utf8_bytes():
    assert document_id(TEXT) == f"sha256:{HEX}"
    chinese = "# 试验区\n{ zones { totalCount } }"
    assert document_id(chinese) == "sha256:" + hashlib.sha256(chinese.encode("utf-8")).hexdigest()
    assert document_id(TEXT + " ") != document_id(TEXT)  # whitespace is content: another document


@pytest.mark.parametrize("raw, ok", [
    (f"sha256:{HEX}", True),
    (HEX, False),                          # bare hex: the prefix is the convention
    (f"sha256:{HEX.upper()}", False),      # hex is lower case
    (f"sha256:{HEX[:-1]}", False),         # 63 digits
    (f"sha256:{HEX}0", False),             # 65 digits
    (f"SHA256:{HEX}", False),
    (f"sha1:{HEX[:40]}", False),
    (f"sha256:{HEX[:-1]}g", False),
    (f" sha256:{HEX}", False),
    (f"sha256:{HEX}\n", False),
    ("", False), (None, False), (42, False), ([f"sha256:{HEX}"], False),
])
def test_document_ids(raw, ok):
    if ok:
        assert parse_document_id(raw) == raw
    else:
        with pytest.raises(RuleBroken) as refused:
            parse_document_id(raw)
        assert refused.value.code == "BAD_REQUEST" and "sha256" in refused.value.message_zh


@pytest.mark.parametrize("extensions, expected", [
    (None, None), ({}, None), ({"tracing": True}, None),
    ({"persistedQuery": {"version": 1}}, None),        # no hash: says nothing, ignored
    ({"persistedQuery": "x"}, None),
    ({"persistedQuery": {"version": 1, "sha256Hash": HEX}}, f"sha256:{HEX}"),
    ({"persistedQuery": {"sha256Hash": HEX}}, f"sha256:{HEX}"),
])
def test_apollo_hashes(extensions, expected):
    assert parse_apollo_hash(extensions) == expected


@pytest.mark.parametrize("digest", [HEX.upper(), HEX[:-1], f"sha256:{HEX}", 7, None, ""])
def test_malformed_apollo_hashes_are_refused(digest):
    with pytest.raises(RuleBroken):
        parse_apollo_hash({"persistedQuery": {"version": 1, "sha256Hash": digest}})


@pytest.mark.parametrize("name, code", [
    ("guizhou-portal", None), ("ab", None), ("a" * 64, None), ("p2", None),
    ("a", "BAD_CLIENT_NAME"), ("a" * 65, "BAD_CLIENT_NAME"), ("Guizhou", "BAD_CLIENT_NAME"),
    ("2portal", "BAD_CLIENT_NAME"), ("gz.portal", "BAD_CLIENT_NAME"), ("gz_portal", "BAD_CLIENT_NAME"),
    ("贵州", "BAD_CLIENT_NAME"), ("", "BAD_CLIENT_NAME"), ("portal", "RESERVED_CLIENT_NAME"),
])
def test_client_names(name, code):
    if code is None:
        assert check_client_name(name) == name
    else:
        with pytest.raises(RuleBroken) as refused:
            check_client_name(name)
        assert refused.value.code == code


def test_a_graphql_file_is_one_document():
    [entry] = entries_of_file("zones.graphql", TEXT)
    assert entry.document_id == f"sha256:{HEX}" and entry.text == TEXT


@pytest.mark.parametrize("content", ["", "   \n"])
def test_an_empty_file_is_refused(content):
    with pytest.raises(RuleBroken) as refused:
        entries_of_file("empty.graphql", content)
    assert refused.value.code == "BAD_DOCUMENT"


def test_the_size_limit_is_a_boundary():
    at_limit = "{ zones { totalCount } }" + " " * (MAX_DOCUMENT_BYTES - 24)
    assert len(at_limit.encode()) == MAX_DOCUMENT_BYTES
    assert entries_of_file("big.graphql", at_limit)
    with pytest.raises(RuleBroken):
        entries_of_file("big.graphql", at_limit + " ")


def test_codegen_manifests_with_bare_or_prefixed_ids():
    other = "query One { zones(first: 1) { totalCount } }"
    manifest = {HEX: TEXT, document_id(other): other}
    entries = entries_of_file("persisted-documents.json", json.dumps(manifest))
    assert [(e.document_id, e.text) for e in entries] == [(f"sha256:{HEX}", TEXT), (document_id(other), other)]


@pytest.mark.parametrize("content, code", [
    ("{", "BAD_MANIFEST"), ("[]", "BAD_MANIFEST"), ("{}", "BAD_MANIFEST"), ('"x"', "BAD_MANIFEST"),
    (json.dumps({HEX: 7}), "BAD_DOCUMENT"),
    (json.dumps({"0" * 64: TEXT}), "HASH_MISMATCH"),        # an id that is not the text's hash
    (json.dumps({"sha256:" + "0" * 64: TEXT}), "HASH_MISMATCH"),
    (json.dumps({HEX: TEXT + " "}), "HASH_MISMATCH"),
])
def test_bad_manifests_are_refused(content, code):
    with pytest.raises(RuleBroken) as refused:
        entries_of_file("persisted-documents.json", content)
    assert refused.value.code == code
    assert refused.value.message_zh and refused.value.message_en


def test_client_keys():
    secret = new_secret()
    assert len(secret) >= 43 and "." not in secret and new_secret() != secret
    key = client_key("guizhou-portal", secret)
    assert split_client_key(key) == ("guizhou-portal", secret)
    assert split_client_key(f"  {key} ") == ("guizhou-portal", secret)
    stored = hash_secret(secret)
    assert stored == hashlib.sha256(secret.encode()).hexdigest() and secret not in stored
    assert secret_matches(secret, stored)
    assert not secret_matches(secret + "x", stored)
    assert not secret_matches(secret[:-1], stored)


@pytest.mark.parametrize("raw", ["", "guizhou-portal", "guizhou-portal.", "guizhou-portal.short",
                                 "Guizhou.aaaaaaaaaaaaaaaaaaaaaaaaaaaa", ".aaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                 "gz." + "a" * 201, "贵州.aaaaaaaaaaaaaaaaaaaaaaaaaaaa"])
def test_keys_that_cannot_be_keys(raw):
    assert split_client_key(raw) is None


@pytest.mark.parametrize("trusted_only, signed_in, allowed", [
    (False, False, True), (False, True, True), (True, True, True), (True, False, False)])
def test_who_may_run_unregistered_documents(trusted_only, signed_in, allowed):
    assert may_run_unregistered(trusted_only=trusted_only, signed_in=signed_in) is allowed
