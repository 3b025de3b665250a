import React from "react";
import { Box, Text } from "@adminjs/design-system";

// A plain link: the browser downloads the CSV from the back-office's export route.
const ExportCsv = (props) => {
  const { record } = props;
  const href = `/admin/export/performances/${encodeURIComponent(record.id)}/reservations.csv`;
  return (
    <Box variant="container">
      <Text mb="lg">The box-office list of this performance: every reservation with its status and check-in time.</Text>
      <a href={href} download data-testid="export-csv-link">Download CSV</a>
    </Box>
  );
};

export default ExportCsv;
