// Check files against a published JSON Schema, formats included (uri, date-time): the
// first argument names it, `jsonfeed` (JSON Feed 1.1) or `sarif` (SARIF 2.1.0, as
// Microsoft's SARIF Multitool ships it, JSON Schema 2020-12). Print each file's errors
// as JSON, and exit 1 when there are any.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const SCHEMAS = {
  jsonfeed: [Ajv, "jsonfeed-schema/schema-v1.1.json"],
  sarif: [Ajv2020, "@microsoft/sarif-multitool-linux/sarif-2.1.0.json"],
};

const require = createRequire(import.meta.url);
const [name, ...paths] = process.argv.slice(2);
const [Validator, schema] = SCHEMAS[name];
// strict: false, as the published schemas are not written for strict mode; formats are
// still checked, in full mode.
const ajv = new Validator({ allErrors: true, strict: false });
addFormats(ajv);
const check = ajv.compile(require(schema));

const errors = {};
for (const path of paths) {
  errors[path] = check(JSON.parse(readFileSync(path, "utf8"))) ? [] : check.errors;
}
console.log(JSON.stringify(errors));
process.exit(Object.values(errors).some((found) => found.length) ? 1 : 0);
