import React, { useState } from "react";
import { useTranslation } from "adminjs";
import { Box, Button, Text, ValueGroup } from "@adminjs/design-system";

// One audit entry in words, in the admin's language (the server writes both); on the
// record page the raw JSON the service stored is one click away.
const AuditEntry = (props) => {
  const { record, property, resource, where } = props;
  const { i18n, translateProperty: tp, translateComponent: tc } = useTranslation();
  const [raw, setRaw] = useState(false);
  const params = (record && record.params) || {};
  const sentence = i18n.language === "en" ? params.summaryEn : params.summaryIt;
  const words = <Text data-testid="audit-summary">{sentence || ""}</Text>;
  if (where !== "show") return words;
  return (
    <ValueGroup label={tp(property.label, resource.id)}>
      {words}
      <Box mt="default">
        <Button type="button" size="sm" variant="outlined" aria-expanded={raw} data-testid="audit-raw-toggle" onClick={() => setRaw(!raw)}>
          {tc(raw ? "AuditEntry.hideRaw" : "AuditEntry.showRaw")}
        </Button>
        {raw ? (
          <pre data-testid="audit-raw" style={{ whiteSpace: "pre-wrap", marginTop: 8, fontSize: 12 }}>
            {params.changesText || "{}"}
          </pre>
        ) : null}
      </Box>
    </ValueGroup>
  );
};

export default AuditEntry;
