// Runs api-smart-diff (npm) on two JSON documents and prints one JSON object:
// counts per classification and the breaking diffs (path and description), so
// bench/histories.sh can set it beside contracts-diff. Written for the benchmark only.
//
//   node api-smart-diff.mjs OLD.json NEW.json
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(process.env.PEERS_DIR + "/node_modules/");
const { apiCompare } = require("api-smart-diff");

const [before, after] = process.argv.slice(2).map((p) => JSON.parse(readFileSync(p, "utf8")));
const { diffs } = apiCompare(before, after);
const counts = {};
const breaking = [];
for (const d of diffs) {
  counts[d.type] = (counts[d.type] ?? 0) + 1;
  if (d.type === "breaking") {
    breaking.push({ path: (d.path ?? []).join("/"), description: d.description ?? d.action });
  }
}
process.stdout.write(JSON.stringify({ counts, breaking }) + "\n");
