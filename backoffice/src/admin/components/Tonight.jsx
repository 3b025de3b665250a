import React, { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ApiClient, useTranslation } from "adminjs";
import { Box, H2, H3, Text, Loader } from "@adminjs/design-system";

const api = new ApiClient();
/** How often the page reads the numbers again while it is open. */
const REFRESH_MS = 30_000;

// Colours with white text that pass WCAG AA (the same as the status badges).
const GREEN = "#1a7f37";
const RED = "#b42318";
const INK = "#1c1c38";

const clock = (language, timeZone) =>
  new Intl.DateTimeFormat(language === "en" ? "en-GB" : "it-IT", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
const day = (language, timeZone) =>
  new Intl.DateTimeFormat(language === "en" ? "en-GB" : "it-IT", { weekday: "long", day: "numeric", month: "long", timeZone });

/** Lower case without accents: "nic" finds "Niccolò", "e" finds "Èlia". */
const fold = (s) =>
  String(s || "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();

const recordUrl = (resource, id, action) => `/admin/resources/${resource}/records/${encodeURIComponent(id)}/${action}`;

const linkButton = {
  display: "inline-block",
  padding: "6px 12px",
  margin: "0 8px 8px 0",
  borderRadius: 4,
  border: `1px solid ${INK}`,
  color: INK,
  background: "#fff",
  textDecoration: "none",
  fontSize: 14,
  lineHeight: "20px",
};
const primaryButton = { ...linkButton, background: INK, color: "#fff" };
const dangerButton = { ...linkButton, borderColor: RED, color: RED };

const Figure = ({ label, value, testId }) => (
  <div style={{ minWidth: 130, marginRight: 24, marginBottom: 8 }}>
    <div style={{ fontSize: 28, fontWeight: 700, lineHeight: "34px", color: INK }} data-testid={testId}>
      {value}
    </div>
    <div style={{ fontSize: 14, color: "#454655" }}>{label}</div>
  </div>
);

const PerformanceCard = ({ p, language, tc, selected, onShowList }) => {
  const time = clock(language, p.timeZone).format(new Date(p.startsAt));
  const headingId = `tonight-perf-${p.id}`;
  return (
    <section aria-labelledby={headingId} data-testid="tonight-performance" data-performance-id={p.id}>
      <Box variant="container" mb="xl" style={{ borderLeft: `6px solid ${p.cancelled ? RED : GREEN}` }}>
        <H3 id={headingId} mb="default">
          {time} · {p.showTitle}
        </H3>
        <Text mb="lg">
          {p.venueName}
          {p.cancelled && (
            <strong style={{ marginLeft: 12, padding: "2px 10px", borderRadius: 12, background: RED, color: "#fff", fontSize: 13 }}>
              {tc("Tonight.cancelled")}
            </strong>
          )}
          {!p.cancelled && !p.bookingEnabled && <span> · {tc("Tonight.bookingClosed")}</span>}
        </Text>
        <div style={{ display: "flex", flexWrap: "wrap" }}>
          <Figure label={tc("Tonight.seatsLeft", { capacity: p.capacity })} value={p.availableSeats} testId="tonight-seats-left" />
          <Figure label={tc("Tonight.arrived", { parties: p.arrived.parties })} value={p.arrived.people} testId="tonight-arrived" />
          <Figure label={tc("Tonight.toCome", { parties: p.toCome.parties })} value={p.toCome.people} testId="tonight-to-come" />
          <Figure label={tc("Tonight.pending")} value={p.pendingCount} testId="tonight-pending" />
        </div>
        <nav aria-label={tc("Tonight.actionsFor", { title: p.showTitle, time })} style={{ marginTop: 12 }}>
          {!p.cancelled && (
            <a
              style={primaryButton}
              href={`/admin/resources/Reservation/actions/new?performance=${encodeURIComponent(p.id)}`}
              data-testid="tonight-phone-booking"
            >
              {tc("Tonight.phoneBooking")}
            </a>
          )}
          {!selected && (
            <button type="button" style={{ ...linkButton, cursor: "pointer" }} onClick={() => onShowList(p.id)} data-testid="tonight-show-door-list">
              {tc("Tonight.showDoorList")}
            </button>
          )}
          <a
            style={linkButton}
            href={`/admin/export/performances/${encodeURIComponent(p.id)}/door-list`}
            target="_blank"
            rel="noopener"
            data-testid="tonight-print"
          >
            {tc("Tonight.print")}
          </a>
          {!p.cancelled && (
            <a style={linkButton} href={recordUrl("Performance", p.id, "movePerformance")} data-testid="tonight-move">
              {tc("Tonight.move")}
            </a>
          )}
          {!p.cancelled && (
            <a style={dangerButton} href={recordUrl("Performance", p.id, "cancelPerformance")} data-testid="tonight-cancel">
              {tc("Tonight.cancel")}
            </a>
          )}
        </nav>
      </Box>
    </section>
  );
};

const DoorList = ({ board, language, tc }) => {
  const [query, setQuery] = useState("");
  const p = board.performances.find((x) => x.id === board.doorListFor);
  const folded = fold(query.trim());
  const compactCode = folded.replace(/[^a-z0-9]/g, "");
  const parties = useMemo(
    () =>
      folded
        ? board.doorList.filter(
            // Names from the first letter; a booking code from three characters (one letter would match half the codes).
            (r) =>
              fold(r.name).includes(folded) ||
              (compactCode.length >= 3 &&
                fold(r.bookingCode)
                  .replace(/[^a-z0-9]/g, "")
                  .includes(compactCode)),
          )
        : board.doorList,
    [board.doorList, folded, compactCode],
  );
  if (!p) return null;
  const time = clock(language, p.timeZone);
  return (
    <section aria-labelledby="tonight-door-list-heading" data-testid="tonight-door-list">
      <Box variant="container" mb="xl">
        <H3 id="tonight-door-list-heading" mb="lg">
          {tc("Tonight.doorList", { title: p.showTitle, time: time.format(new Date(p.startsAt)) })}
        </H3>
        <label htmlFor="tonight-search" style={{ display: "block", fontWeight: 600, marginBottom: 4, color: INK }}>
          {tc("Tonight.search")}
        </label>
        <input
          id="tonight-search"
          type="search"
          autoComplete="off"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-describedby="tonight-search-count"
          data-testid="tonight-search"
          style={{ width: "100%", maxWidth: 420, padding: "8px 10px", fontSize: 16, border: `1px solid ${INK}`, borderRadius: 4 }}
        />
        <p id="tonight-search-count" aria-live="polite" style={{ margin: "6px 0 12px", color: "#454655" }} data-testid="tonight-search-count">
          {tc("Tonight.shown", { shown: parties.length, total: board.doorList.length })}
        </p>
        {board.doorList.length === 0 ? (
          <Text>{tc("Tonight.noParties")}</Text>
        ) : (
          <table style={{ width: "100%", borderCollapse: "collapse" }}>
            <caption style={{ position: "absolute", left: -10000, width: 1, height: 1, overflow: "hidden" }}>
              {tc("Tonight.doorList", { title: p.showTitle, time: time.format(new Date(p.startsAt)) })}
            </caption>
            <thead>
              <tr>
                {["name", "code", "people", "state", "notes", "actions"].map((k) => (
                  <th
                    key={k}
                    scope="col"
                    style={{ textAlign: k === "people" ? "right" : "left", padding: "6px 8px", borderBottom: `2px solid ${INK}`, color: INK }}
                  >
                    {tc(`Tonight.column.${k}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {parties.map((r) => (
                <tr key={r.reservationId} data-testid="tonight-party" style={{ borderBottom: "1px solid #c0c0ca" }}>
                  <td style={{ padding: "6px 8px" }}>
                    <a href={recordUrl("Reservation", r.reservationId, "show")}>{r.name}</a>
                  </td>
                  <td style={{ padding: "6px 8px", fontFamily: "ui-monospace, monospace", whiteSpace: "nowrap" }}>{r.bookingCode}</td>
                  <td style={{ padding: "6px 8px", textAlign: "right" }}>{r.partySize}</td>
                  <td style={{ padding: "6px 8px", whiteSpace: "nowrap" }}>
                    {r.checkedInAt ? (
                      <span style={{ padding: "2px 10px", borderRadius: 12, background: "#0b57d0", color: "#fff", fontSize: 13 }}>
                        {tc("Tonight.inAt", { time: time.format(new Date(r.checkedInAt)) })}
                      </span>
                    ) : (
                      tc("Tonight.notYet")
                    )}
                  </td>
                  <td style={{ padding: "6px 8px" }}>{r.notes || ""}</td>
                  <td style={{ padding: "6px 8px", whiteSpace: "nowrap" }}>
                    {r.hasEmail ? (
                      <a href={recordUrl("Reservation", r.reservationId, "resendTicket")} aria-label={tc("Tonight.resendFor", { name: r.name })}>
                        {tc("Tonight.resend")}
                      </a>
                    ) : (
                      <a href={recordUrl("Reservation", r.reservationId, "printTicket")} aria-label={tc("Tonight.printTicketFor", { name: r.name })}>
                        {tc("Tonight.printTicket")}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Box>
    </section>
  );
};

/**
 * "Stasera": the box office's home on a performance day. Reads /admin/api/pages/tonight
 * (admins only) on opening and every 30 s while open, and says when it last did.
 */
const Tonight = () => {
  const { translateComponent: tc, i18n } = useTranslation();
  const language = i18n.language === "en" ? "en" : "it";
  const [board, setBoard] = useState(null);
  const [failed, setFailed] = useState(false);
  const [chosen, setChosen] = useState(null);
  const [updatedAt, setUpdatedAt] = useState(null);
  const chosenRef = useRef(null);
  chosenRef.current = chosen;

  const load = useCallback(() => {
    const params = chosenRef.current ? { performanceId: chosenRef.current } : {};
    return api
      .getPage({ pageName: "tonight", params })
      .then((r) => {
        setBoard(r.data);
        setFailed(false);
        setUpdatedAt(new Date());
      })
      .catch(() => setFailed(true));
  }, []);

  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const showList = (id) => {
    chosenRef.current = id;
    setChosen(id);
    load();
  };

  if (!board && failed)
    return (
      <Box p="xl" role="alert">
        <Text>{tc("Tonight.loadFailed")}</Text>
      </Box>
    );
  if (!board) return <Loader />;
  const timeZone = board.timeZone;
  return (
    <Box as="section" aria-labelledby="tonight-title" p="xl" data-testid="sipario-tonight">
      <div style={{ display: "flex", flexWrap: "wrap", alignItems: "baseline", justifyContent: "space-between" }}>
        <H2 id="tonight-title" mb="lg">
          {tc("Tonight.title")} · {day(language, timeZone).format(new Date(board.generatedAt))}
        </H2>
        <p role="status" style={{ margin: 0, color: failed ? RED : "#454655" }} data-testid="tonight-updated">
          {failed
            ? tc("Tonight.staleSince", { time: clock(language, timeZone).format(updatedAt) })
            : tc("Tonight.updated", { time: clock(language, timeZone).format(updatedAt) })}
        </p>
      </div>
      {board.performances.length === 0 ? (
        <Box variant="container" mb="xl">
          <Text data-testid="tonight-none">{tc("Tonight.none")}</Text>
        </Box>
      ) : (
        board.performances.map((p) => (
          <PerformanceCard key={p.id} p={p} language={language} tc={tc} selected={p.id === board.doorListFor} onShowList={showList} />
        ))
      )}
      <DoorList key={board.doorListFor} board={board} language={language} tc={tc} />
    </Box>
  );
};

export default Tonight;
