/* ecozone GraphiQL page: renders the vendored GraphiQL 3 UMD build
 * (hand-written, not vendored; see scripts/vendor-graphiql.sh).
 * Same-origin HTTP endpoint /graphql; subscriptions over graphql-transport-ws
 * at ws(s)://<host>/graphql using the graphql-ws client bundled in graphiql.min.js.
 */
(function () {
  'use strict';

  var httpUrl = new URL('/graphql', window.location.href);
  var wsUrl = new URL('/graphql', window.location.href);
  wsUrl.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';

  var fetcher = GraphiQL.createFetcher({
    url: httpUrl.toString(),
    subscriptionUrl: wsUrl.toString(),
  });

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultHeaders: JSON.stringify({ 'X-Zone': 'jiangxi' }, null, 2),
      defaultEditorToolsVisibility: 'headers',
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    })
  );
})();
