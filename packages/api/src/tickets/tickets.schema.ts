export { tokenInputSchema as ticketInputSchema, type TokenInput as TicketInput } from "./tokens.ts";
