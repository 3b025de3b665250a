import React, { useEffect, useState } from "react";
import { ApiClient } from "adminjs";
import { Box, H2, H4, Text, Loader } from "@adminjs/design-system";

const api = new ApiClient();

let timeZone;
const fmt = (iso) =>
  new Date(iso).toLocaleString(undefined, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone });

// confirmed (checked-in part darker) | available | manually held: one bar per performance.
const CapacityBar = ({ p }) => {
  const total = Math.max(p.capacity, p.confirmedSeats, 1);
  const pct = (n) => `${Math.min(100, (n / total) * 100)}%`;
  const notIn = Math.max(0, p.confirmedSeats - p.checkedInPeople);
  return (
    <div
      role="img"
      aria-label={`${p.confirmedSeats} confirmed, ${p.checkedInPeople} checked in, ${p.availableSeats} available of ${p.capacity}`}
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
  useEffect(() => {
    api.getDashboard().then((r) => setData(r.data)).catch(() => setFailed(true));
  }, []);
  if (failed) return <Box p="xl"><Text>The dashboard could not be loaded. Reload the page.</Text></Box>;
  if (!data) return <Loader />;
  timeZone = data.timeZone;
  return (
    <Box p="xl" data-testid="sipario-dashboard">
      <H2 mb="xl">Sipario back-office</H2>
      <Section title="Upcoming performances" testId="dashboard-upcoming">
        <Text fontSize="sm" mb="lg">
          <Swatch color="#1a7f37" /> checked in <Swatch color="#4268f6" /> confirmed, not yet in <Swatch color="#c9d4fb" /> available
        </Text>
        {data.upcoming.length === 0 && <Text>No upcoming performances.</Text>}
        {data.upcoming.map((p) => (
          <Box key={p.id} mb="lg" data-testid="dashboard-performance">
            <Text>
              <a href={`/admin/resources/Performance/records/${p.id}/show`}>
                <strong>{p.showTitle}</strong>
              </a>{" "}
              · {fmt(p.startsAt)} · {p.venueName}
              {!p.isBookingEnabled && " · booking closed"}
            </Text>
            <CapacityBar p={p} />
            <Text fontSize="sm">
              {p.confirmedSeats} confirmed · {p.availableSeats} available · {p.checkedInPeople} checked in · {p.pendingCount} pending · capacity {p.capacity}
            </Text>
          </Box>
        ))}
      </Section>
      <Section title={`Today's check-ins: ${data.checkInsToday.count} parties, ${data.checkInsToday.people} people`} testId="dashboard-checkins">
        {data.checkInsToday.latest.map((c, i) => (
          <Text key={i}>
            {fmt(c.checkedInAt)} · {c.name} ({c.partySize}) · by {c.by}
          </Text>
        ))}
      </Section>
      <Section title={`Failed emails: ${data.failedEmails.count}`} testId="dashboard-failed-emails">
        {data.failedEmails.latest.map((e) => (
          <Text key={e.id}>
            <a href={`/admin/resources/EmailOutbox/records/${e.id}/show`}>{e.subject}</a> · {e.kind} · {e.attempts} attempts · {e.lastError || ""}
          </Text>
        ))}
      </Section>
    </Box>
  );
};

export default Dashboard;
