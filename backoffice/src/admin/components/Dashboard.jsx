import React, { useEffect, useState } from "react";
import { ApiClient, useTranslation } from "adminjs";
import { Box, H2, H4, Text, Loader } from "@adminjs/design-system";

const api = new ApiClient();

let timeZone;
// The admin's language for the words, the company's time zone for the clock, 24-hour.
let dateLocale = "it-IT";
const fmt = (iso) =>
  new Date(iso).toLocaleString(dateLocale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  });

// confirmed (checked-in part darker) | available | manually held: one bar per performance.
const CapacityBar = ({ p, tc }) => {
  const total = Math.max(p.capacity, p.confirmedSeats, 1);
  const pct = (n) => `${Math.min(100, (n / total) * 100)}%`;
  const notIn = Math.max(0, p.confirmedSeats - p.checkedInPeople);
  return (
    <div
      role="img"
      aria-label={tc("Dashboard.bar", { confirmed: p.confirmedSeats, checkedIn: p.checkedInPeople, available: p.availableSeats, capacity: p.capacity })}
      style={{ display: "flex", height: 14, borderRadius: 7, overflow: "hidden", background: "#e8e8ef", margin: "6px 0" }}
    >
      <div style={{ width: pct(p.checkedInPeople), background: "#1a7f37" }} />
      <div style={{ width: pct(notIn), background: "#4268f6" }} />
      <div style={{ width: pct(p.availableSeats), background: "#c9d4fb" }} />
    </div>
  );
};

const Swatch = ({ color }) => (
  <span aria-hidden="true" style={{ display: "inline-block", width: 10, height: 10, borderRadius: 2, background: color, margin: "0 4px 0 12px" }} />
);

const Section = ({ title, children, testId }) => (
  <Box variant="container" mb="xl" data-testid={testId}>
    <H4 mb="lg">{title}</H4>
    {children}
  </Box>
);

const Dashboard = () => {
  const [data, setData] = useState(null);
  const [failed, setFailed] = useState(false);
  const { translateComponent: tc, i18n } = useTranslation();
  dateLocale = i18n.language === "en" ? "en-GB" : "it-IT";
  useEffect(() => {
    api
      .getDashboard()
      .then((r) => setData(r.data))
      .catch(() => setFailed(true));
  }, []);
  if (failed)
    return (
      <Box p="xl">
        <Text>{tc("Dashboard.loadFailed")}</Text>
      </Box>
    );
  if (!data) return <Loader />;
  timeZone = data.timeZone;
  return (
    <Box p="xl" data-testid="sipario-dashboard">
      <H2 mb="xl">{tc("Dashboard.title")}</H2>
      {/* The box office's home on a performance day comes first. */}
      <Box variant="container" mb="xl">
        <Text fontSize="lg">
          <a href="/admin/pages/tonight" data-testid="dashboard-tonight-link">
            <strong>{tc("Dashboard.tonightLink")}</strong>
          </a>
        </Text>
      </Box>
      <Section title={tc("Dashboard.upcoming")} testId="dashboard-upcoming">
        <Text fontSize="sm" mb="lg">
          <Swatch color="#1a7f37" /> {tc("Dashboard.legendCheckedIn")} <Swatch color="#4268f6" /> {tc("Dashboard.legendConfirmed")} <Swatch color="#c9d4fb" />{" "}
          {tc("Dashboard.legendAvailable")}
        </Text>
        {data.upcoming.length === 0 && <Text>{tc("Dashboard.noUpcoming")}</Text>}
        {data.upcoming.map((p) => (
          <Box key={p.id} mb="lg" data-testid="dashboard-performance">
            <Text>
              <a href={`/admin/resources/Performance/records/${p.id}/show`}>
                <strong>{p.showTitle}</strong>
              </a>{" "}
              · {fmt(p.startsAt)} · {p.venueName}
              {!p.isBookingEnabled && ` · ${tc("Dashboard.bookingClosed")}`}
            </Text>
            <CapacityBar p={p} tc={tc} />
            <Text fontSize="sm">
              {tc("Dashboard.seats", {
                confirmed: p.confirmedSeats,
                available: p.availableSeats,
                checkedIn: p.checkedInPeople,
                pending: p.pendingCount,
                capacity: p.capacity,
              })}
            </Text>
          </Box>
        ))}
      </Section>
      <Section title={tc("Dashboard.checkIns", { count: data.checkInsToday.count, people: data.checkInsToday.people })} testId="dashboard-checkins">
        {data.checkInsToday.latest.map((c, i) => (
          <Text key={i}>
            {fmt(c.checkedInAt)} · {c.name} ({c.partySize}) · {tc("Dashboard.checkedInBy", { by: c.by })}
          </Text>
        ))}
      </Section>
      <Section title={tc("Dashboard.failedEmails", { count: data.failedEmails.count })} testId="dashboard-failed-emails">
        {data.failedEmails.latest.map((e) => (
          <Text key={e.id}>
            <a href={`/admin/resources/EmailOutbox/records/${e.id}/show`}>{e.subject}</a> · {e.kind} · {tc("Dashboard.attempts", { count: e.attempts })} ·{" "}
            {e.lastError || ""}
          </Text>
        ))}
      </Section>
    </Box>
  );
};

export default Dashboard;
