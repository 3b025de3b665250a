import React, { useState } from "react";
import { ApiClient, useActionResponseHandler, useTranslation } from "adminjs";
import { Box, Button, Text, MessageBox } from "@adminjs/design-system";

const api = new ApiClient();

// Confirmation screen of a service action: GET showed it, the button POSTs the change.
const ActionConfirm = (props) => {
  const { action, record, records, resource } = props;
  // AdminJS's own handling of an action's answer: notice, then redirect with a refresh.
  const handleResponse = useActionResponseHandler();
  const { translateMessage: tm, translateAction: ta, translateComponent: tc } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const custom = action.custom || {};
  const targets = records || (record ? [record] : []);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const response =
        action.actionType === "bulk"
          ? await api.bulkAction({ resourceId: resource.id, actionName: action.name, recordIds: targets.map((r) => r.id), data: { confirm: "yes" } })
          : await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data: { confirm: "yes" } });
      const { notice } = response.data;
      if (notice && notice.type === "error") setError(tm(notice.message, resource.id));
      handleResponse(response);
    } catch {
      setError(tc("ActionConfirm.failed"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box variant="container" data-testid={`action-${action.name}`}>
      <Text mb="lg">{tm(custom.description, resource.id)}</Text>
      {targets.length > 0 && (
        <Box mb="lg">
          {targets.slice(0, 20).map((r) => (
            <Text key={r.id}>• {r.title}</Text>
          ))}
          {targets.length > 20 && <Text>{tc("ActionConfirm.more", { count: targets.length - 20 })}</Text>}
        </Box>
      )}
      {error && <MessageBox mb="lg" message={error} variant="danger" />}
      <Button variant="primary" disabled={busy} onClick={run} data-testid="confirm-action">
        {busy ? tc("ActionConfirm.working") : ta(action.name, resource.id, { defaultValue: custom.label })}
      </Button>
    </Box>
  );
};

export default ActionConfirm;
