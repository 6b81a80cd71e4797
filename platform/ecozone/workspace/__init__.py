"""The workspace (issue 16): where experts, members, secretaries and directors do their work in a
browser. This package holds the sign-in — local accounts (argon2), the development picker and
OpenID Connect — and the browser sessions; every action the pages take goes through the API's
own mutations, run as the signed-in user (``GraphQLHTTP.run_document``)."""
