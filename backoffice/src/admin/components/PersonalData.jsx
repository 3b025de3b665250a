import React from "react";
import { Box, Text } from "@adminjs/design-system";
import { useTranslation } from "adminjs";

// Access request (GDPR art. 15): plain links, the browser downloads from the back-office's
// privacy routes. The record's id travels in the URL, never the email.
const PersonalData = (props) => {
  const { record, resource } = props;
  const { translateComponent: tc } = useTranslation();
  const kind = resource.id === "WaitlistEntry" ? "waitlist-entries" : "reservations";
  const base = `/admin/privacy/${kind}/${encodeURIComponent(record.id)}/personal-data`;
  return (
    <Box variant="container" data-testid="action-personalData">
      <Text mb="lg">{tc("PersonalData.intro")}</Text>
      <Text mb="default">
        <a href={`${base}.txt`} download data-testid="personal-data-txt">
          {tc("PersonalData.txt")}
        </a>
      </Text>
      <Text>
        <a href={`${base}.json`} download data-testid="personal-data-json">
          {tc("PersonalData.json")}
        </a>
      </Text>
    </Box>
  );
};

export default PersonalData;
