async def test_zones_are_listed_anonymously(api):
    data = await api.gql("{ zones { totalCount edges { node { slug standardCode } } } }")
    assert data["zones"]["totalCount"] == 4
    assert {e["node"]["standardCode"] for e in data["zones"]["edges"]} == {
        "DB36/T", "DB52/T", "DB35/T", "DB46/T"}
