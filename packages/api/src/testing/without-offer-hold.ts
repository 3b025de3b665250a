// The UNSAFE variant for the waiting-list race test's control run (Race 1): waiting-list
// offers still happen, but their held seats no longer count against availability, so a
// direct booking can take the seats offered to the queue. Load it before the server:
//   node --conditions=development --import tsx --import ./packages/api/src/testing/without-offer-hold.ts packages/api/src/testing/serve.ts
// Never imported by production code.
import { Prisma } from "@sipario/db";
import { offerHold } from "../capacity/capacity.service.ts";

offerHold.heldSeatsSql = () => Prisma.sql`0`;
