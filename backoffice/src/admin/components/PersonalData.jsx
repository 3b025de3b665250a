import React from "react";
import { Box, Text } from "@adminjs/design-system";

// Access request (GDPR art. 15): plain links, the browser downloads from the back-office's
// privacy routes. The record's id travels in the URL, never the email.
const PersonalData = (props) => {
  const { record, resource } = props;
  const kind = resource.id === "WaitlistEntry" ? "waitlist-entries" : "reservations";
  const base = `/admin/privacy/${kind}/${encodeURIComponent(record.id)}/personal-data`;
  return (
    <Box variant="container" data-testid="action-personalData">
      <Text mb="lg">
        Everything Sipario stores about this email, at every performance: reservations, ticket links issued (not the links themselves), waiting-list
        entries and emails sent. Send it to the person who asked. The download is recorded in the audit log.
      </Text>
      <Text mb="default">
        <a href={`${base}.txt`} download data-testid="personal-data-txt">Download as text (.txt)</a>
      </Text>
      <Text>
        <a href={`${base}.json`} download data-testid="personal-data-json">Download as JSON (.json)</a>
      </Text>
    </Box>
  );
};

export default PersonalData;
