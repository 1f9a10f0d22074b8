// Writes docs/config.schema.json from the one config definition (src/config/schema.ts),
// for editors (yaml-language-server: `# yaml-language-server: $schema=...`). Run after
// `npm run build:ts`; a test fails when the file is out of date.
import { writeFileSync } from "node:fs";
import { publishedSchema } from "../dist/config/schema.js";

const out = new URL("../docs/config.schema.json", import.meta.url);
writeFileSync(out, JSON.stringify(publishedSchema(), null, 2) + "\n");
console.log(`wrote ${out.pathname}`);
