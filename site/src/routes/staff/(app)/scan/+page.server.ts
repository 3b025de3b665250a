import { callFailure, serverCaller } from "$lib/server/trpc";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async (event) => {
  try {
    const { items } = await (await serverCaller(event)).checkin.performancesToday();
    return { performances: items };
  } catch (error) {
    callFailure(error); // rethrows anything unexpected
    return { performances: [] };
  }
};
