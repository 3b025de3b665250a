// npm run create-user -- --email E --role admin|staff [--name N]
// Creates a user, or resets the password and role of an existing one (which ends every
// session of that user: auth/credentials.service.ts). The password is read from a hidden
// prompt on a terminal, or from the first line of standard input otherwise, never from
// the command line: npm echoes a script's arguments, so a password there lands in
// terminal scrollback and CI logs (issue 13, finding 9). It is hashed and never printed.
import { parseArgs } from "node:util";
import { openDatabase, runCli, UsageError } from "@sipario/db";
import { z } from "zod";
import { saveUserAccount } from "../auth/credentials.service.ts";

const USAGE = "Usage: npm run create-user -- --email E --role admin|staff [--name N] (the password is asked for, or read from standard input)";

await runCli(async () => {
  let values: { email?: string; role?: string; name?: string; password?: string };
  try {
    ({ values } = parseArgs({
      options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" }, password: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. ${USAGE}`);
  }
  if (!values.email || !values.role) throw new UsageError(`--email and --role are required. ${USAGE}`);
  let password = values.password;
  if (password !== undefined) {
    // Kept for old scripts only: the value is already in this terminal's history.
    console.error(
      "warning: --password is deprecated: npm printed it with the command. Leave it out and type the password at the prompt, or pipe it on standard input.",
    );
  } else {
    password = process.stdin.isTTY ? await promptNewPassword() : await firstLineOfStdin();
  }
  const db = await openDatabase({ url: process.env.DATABASE_URL || undefined, poolSize: 1 });
  try {
    const { user, created, sessionsEnded } = await saveUserAccount(db.prisma, {
      email: values.email,
      role: values.role as "admin",
      name: values.name,
      password,
    });
    console.log(`${created ? "Created" : "Updated"} ${user.role} ${user.email}.${sessionsEnded ? " Every session of this user has ended." : ""}`);
  } catch (error) {
    if (error instanceof z.ZodError) {
      throw new UsageError(error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
    }
    throw error;
  } finally {
    await db.close();
  }
});

async function firstLineOfStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes("\n") || text.length > 1000) break;
  }
  const line = text.split(/\r?\n/)[0] ?? "";
  if (!line) throw new UsageError(`no password on standard input. ${USAGE}`);
  return line;
}

async function promptNewPassword(): Promise<string> {
  const first = await promptHidden("Password: ");
  const again = await promptHidden("Password again: ");
  if (first !== again) throw new UsageError("the two passwords differ.");
  return first;
}

/** Reads one line from the terminal without echoing it. Ctrl-C cancels. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish();
        if (ch === "\u0003") return finish(new UsageError("cancelled."));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}
