import React from "react";
import { useTranslation } from "adminjs";
import { ValueGroup } from "@adminjs/design-system";

// Colours by meaning, the same on every list: green confirmed or booked, blue checked in,
// amber waiting for someone, red cancelled or failed, grey over. White text on each
// passes WCAG AA (4.5:1).
const COLOURS = {
  confirmed: "#1a7f37",
  booked: "#1a7f37",
  sent: "#1a7f37",
  scheduled: "#1a7f37",
  checked_in: "#0b57d0",
  pending: "#8a5a00",
  offered: "#8a5a00",
  waiting: "#6f42c1",
  cancelled: "#b42318",
  failed: "#b42318",
  expired: "#5f6368",
  lapsed: "#5f6368",
  left: "#5f6368",
  closed: "#5f6368",
};

const StatusBadge = (props) => {
  const { record, property, resource, where } = props;
  const { translateLabel: tl, translateProperty: tp } = useTranslation();
  const value = record && record.params ? record.params[property.path] : undefined;
  const shown = value === undefined || value === null || value === "" ? null : <Badge value={value} property={property} resource={resource} tl={tl} />;
  // On the show page a custom component draws its own label.
  return where === "show" ? <ValueGroup label={tp(property.label, resource.id)}>{shown}</ValueGroup> : shown;
};

const Badge = ({ value, property, resource, tl }) => (
  <span
    data-testid={`status-${property.path}`}
    data-status={value}
    style={{
      display: "inline-block",
      padding: "2px 10px",
      borderRadius: 12,
      fontSize: 12,
      lineHeight: "18px",
      whiteSpace: "nowrap",
      color: "#fff",
      background: COLOURS[value] || "#5f6368",
    }}
  >
    {tl(`${property.path}.${value}`, resource.id, { defaultValue: String(value) })}
  </span>
);

export default StatusBadge;
