// Check JSON Feed files against the published JSON Feed 1.1 JSON Schema, formats included
// (uri, date-time); print each file's errors as JSON, and exit 1 when there are any.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
// strict: false, as the published schema itself is not written for strict mode; formats
// are still checked, in full mode.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const check = ajv.compile(require("jsonfeed-schema/schema-v1.1.json"));

const errors = {};
for (const path of process.argv.slice(2)) {
  errors[path] = check(JSON.parse(readFileSync(path, "utf8"))) ? [] : check.errors;
}
console.log(JSON.stringify(errors));
process.exit(Object.values(errors).some((found) => found.length) ? 1 : 0);
