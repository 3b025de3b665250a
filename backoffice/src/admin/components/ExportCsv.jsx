import React from "react";
import { Box, Text } from "@adminjs/design-system";

// Plain links: the browser downloads the file from the back-office's export routes.
const ExportCsv = (props) => {
  const { record } = props;
  const base = `/admin/export/performances/${encodeURIComponent(record.id)}/reservations`;
  return (
    <Box variant="container">
      <Text mb="lg">The box-office list of this performance: every reservation with its status and check-in time.</Text>
      <Text mb="default">
        <a href={`${base}.xlsx`} download data-testid="export-xlsx-link">Download Excel (.xlsx)</a>
      </Text>
      <Text>
        <a href={`${base}.csv`} download data-testid="export-csv-link">Download CSV</a>
      </Text>
    </Box>
  );
};

export default ExportCsv;
