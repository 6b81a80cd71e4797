// Runs graphql-http's server audits (GraphQL over HTTP) against the URL given as the only
// argument and prints one JSON array: [{id, name, status, reason?}], in the audits' order.
// Used by tests/web/test_graphql_http_audit.py; the versions are pinned in package-lock.json.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs http://127.0.0.1:PORT/graphql');
  process.exit(2);
}

const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  let result;
  try {
    result = await audit.fn();
  } catch (error) {
    result = { id: audit.id, name: audit.name, status: 'error', reason: `audit threw: ${error}` };
  }
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    if (result.response) {
      entry.responseStatus = result.response.status;
      entry.responseContentType = result.response.headers.get('content-type');
      try {
        entry.responseBody = (await result.response.text()).slice(0, 500);
      } catch {
        // the audit may have read the body already
      }
    }
  }
  results.push(entry);
}
process.stdout.write(JSON.stringify(results, null, 1) + '\n');
