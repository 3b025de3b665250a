import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** backoffice/, wherever the process was started from. */
export const backofficeDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

// AdminJS reads its bundle directory once, when it is first imported, relative to the
// working directory by default. Pin it inside backoffice/ (git-ignored) so `npm start`
// from the repository root and the tests share one place. Imported before adminjs.
process.env.ADMIN_JS_TMP_DIR ||= join(backofficeDir, ".adminjs");
