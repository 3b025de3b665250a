import { describeTestServer, testServer } from "./index.ts";

/** vitest globalSetup: says once which database server the tests use. */
export default async function setup() {
  console.log(describeTestServer(await testServer()));
}
