// Runs @graphql-inspector/core (npm) on two GraphQL SDL files and prints one JSON object:
// counts per criticality and the breaking changes (path and message), so
// bench/histories.sh can set it beside contracts-diff. Written for the benchmark only.
//
//   node graphql-inspector.mjs OLD.graphql NEW.graphql
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(process.env.PEERS_DIR + "/node_modules/");
const { buildSchema } = require("graphql");
const { diff } = require("@graphql-inspector/core");

const [before, after] = process.argv
  .slice(2)
  .map((p) => buildSchema(readFileSync(p, "utf8"), { assumeValidSDL: true }));
const changes = await diff(before, after);
const counts = {};
const breaking = [];
for (const c of changes) {
  const level = c.criticality.level;
  counts[level] = (counts[level] ?? 0) + 1;
  if (level === "BREAKING") breaking.push({ path: c.path ?? "", description: c.message });
}
process.stdout.write(JSON.stringify({ counts, breaking }) + "\n");
