// Check SARIF logs against the SARIF 2.1.0 JSON Schema that Microsoft's SARIF Multitool
// ships (JSON Schema 2020-12), formats included; print each file's errors as JSON, and
// exit 1 when there are any.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const check = ajv.compile(require("@microsoft/sarif-multitool-linux/sarif-2.1.0.json"));

const errors = {};
for (const path of process.argv.slice(2)) {
  errors[path] = check(JSON.parse(readFileSync(path, "utf8"))) ? [] : check.errors;
}
console.log(JSON.stringify(errors));
process.exit(Object.values(errors).some((found) => found.length) ? 1 : 0);
