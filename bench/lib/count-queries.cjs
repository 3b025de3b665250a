// Preloaded into the bench's servers (node --require): counts the SQL statements sent
// through `pg` (Prisma's adapter included, BEGIN/COMMIT included) and writes the running
// total to BENCH_QUERY_COUNT_FILE every 250 ms, so the bench can report statements per
// request: an N+1 query shows at once. Same module instance as the server's own `pg`.
const { writeFileSync } = require("node:fs");
const pg = require("pg");
const file = process.env.BENCH_QUERY_COUNT_FILE;
if (file) {
  let count = 0;
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (...args) {
    count++;
    return original.apply(this, args);
  };
  let last = -1;
  setInterval(() => {
    if (count !== last) writeFileSync(file, String((last = count)));
  }, 250).unref();
}
