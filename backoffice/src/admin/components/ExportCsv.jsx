import React from "react";
import { Box, Text } from "@adminjs/design-system";
import { useTranslation } from "adminjs";

// Plain links: the browser downloads the file from the back-office's export routes.
const ExportCsv = (props) => {
  const { record } = props;
  const { translateComponent: tc } = useTranslation();
  const base = `/admin/export/performances/${encodeURIComponent(record.id)}/reservations`;
  return (
    <Box variant="container">
      <Text mb="lg">{tc("ExportCsv.intro")}</Text>
      <Text mb="default">
        <a href={`${base}.xlsx`} download data-testid="export-xlsx-link">
          {tc("ExportCsv.xlsx")}
        </a>
      </Text>
      <Text mb="default">
        <a href={`${base}.csv`} download data-testid="export-csv-link">
          {tc("ExportCsv.csv")}
        </a>
      </Text>
      <Text>
        <a href={`/admin/export/performances/${encodeURIComponent(record.id)}/door-list`} target="_blank" rel="noopener" data-testid="door-list-link">
          {tc("ExportCsv.doorList")}
        </a>
      </Text>
    </Box>
  );
};

export default ExportCsv;
