import { randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import { hashPassword } from "../passwords.ts";

const unique = () => randomBytes(4).toString("hex");
const HOUR = 3_600_000;

/** Small builders for test rows; every field can be overridden. */
export const factories = {
  async show(prisma: PrismaClient, data: Partial<Prisma.ShowUncheckedCreateInput> = {}) {
    const suffix = unique();
    return prisma.show.create({
      data: { title: `Show ${suffix}`, slug: `show-${suffix}`, summary: "A test show", isPublished: true, ...data },
    });
  },
  async venue(prisma: PrismaClient, data: Partial<Prisma.VenueUncheckedCreateInput> = {}) {
    const suffix = unique();
    return prisma.venue.create({
      data: { name: `Venue ${suffix}`, slug: `venue-${suffix}`, address: "Via Roma 1", city: "Roma", ...data },
    });
  },
  /** An upcoming performance (in 48 hours) with a new show and venue unless given. */
  async performance(prisma: PrismaClient, data: Partial<Prisma.PerformanceUncheckedCreateInput> = {}) {
    const showId = data.showId ?? (await factories.show(prisma)).id;
    const venueId = data.venueId ?? (await factories.venue(prisma)).id;
    return prisma.performance.create({
      data: { startsAt: new Date(Date.now() + 48 * HOUR), roomCapacity: 50, ...data, showId, venueId },
    });
  },
  async reservation(prisma: PrismaClient, data: Partial<Prisma.ReservationUncheckedCreateInput> & { performanceId: string }) {
    const suffix = unique();
    return prisma.reservation.create({
      data: { name: `Visitor ${suffix}`, email: `visitor-${suffix}@example.org`, partySize: 2, ...data },
    });
  },
  async user(prisma: PrismaClient, data: { role?: "admin" | "staff"; email?: string; password?: string; name?: string } = {}) {
    const password = data.password ?? `pw-${unique()}-${unique()}`;
    const user = await prisma.user.create({
      data: {
        email: data.email ?? `user-${unique()}@example.org`,
        name: data.name ?? "Test User",
        role: data.role ?? "staff",
        passwordHash: await hashPassword(password),
      },
    });
    return { user, password };
  },
};
