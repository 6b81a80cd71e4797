// PostGraphile 4.14 as the peer of bench/run.py (--peer postgraphile): a node cluster of
// WORKERS processes on PORT, each PostGraphile over DATABASE_URL (the app's login role, bound
// by row-level security) with the connection-filter plugin and the same per-transaction
// settings ecozone sets for an anonymous viewer (db/scoping.py: ecozone.zone and ecozone.user,
// both empty). GET /pid answers the worker's process id (the load generator spreads its
// connections over the workers with it). Only the tables the bench reads are exposed: the
// whole schema trips PostGraphile's naming (two relations of fund_entries named alike), and a
// PostGraphile deployment chooses its tables the same way (smart tags).
"use strict";
const cluster = require("cluster");
const http = require("http");
const { postgraphile } = require("postgraphile");
const ConnectionFilterPlugin = require("postgraphile-plugin-connection-filter");
const { makePgSmartTagsPlugin } = require("graphile-utils");

const TABLES = new Set(["expert_profiles", "expert_fields", "expert_categories", "standards",
  "standard_zones", "zones", "standard_versions", "standard_ballots", "standard_votes"]);
const OnlyBenchTables = makePgSmartTagsPlugin([{
  kind: "class",
  match: (table) => table.namespaceName === "public" && !TABLES.has(table.name),
  tags: { omit: true },
}]);

const workers = Number(process.env.WORKERS || 2);
const port = Number(process.env.PORT);

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i += 1) cluster.fork();
  cluster.on("exit", (worker, code) => {
    console.error(`worker ${worker.process.pid} exited with ${code}`);
    process.exit(1);
  });
} else {
  const middleware = postgraphile(process.env.DATABASE_URL, "public", {
    appendPlugins: [ConnectionFilterPlugin, OnlyBenchTables],
    // set_config(key, value, true) in the request's transaction, as ecozone does
    pgSettings: { "ecozone.zone": "", "ecozone.user": "" },
    dynamicJson: true,
    setofFunctionsContainNulls: false,
    ignoreRBAC: false,
    disableQueryLog: true,
    retryOnInitFail: true,
    graphqlRoute: "/graphql",
    graphiql: false,
  });
  http.createServer((req, res) => {
    if (req.url === "/pid") {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end(String(process.pid));
      return;
    }
    middleware(req, res);
  }).listen(port, "127.0.0.1");
}
