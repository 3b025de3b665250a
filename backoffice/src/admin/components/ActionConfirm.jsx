import React, { useState } from "react";
import { ApiClient, useActionResponseHandler, useTranslation } from "adminjs";
import { Box, Button, Text, MessageBox, Label, Input, TextArea } from "@adminjs/design-system";

const api = new ApiClient();

// A datetime-local value ("2027-01-10T21:00") is the admin's wall clock, as AdminJS's own
// date picker reads it; the server gets the instant.
const toPayload = (field, value) => {
  if (field.type !== "datetime" || !value) return value;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? value : instant.toISOString();
};

// Confirmation screen of a service action: GET showed it, the button POSTs the change.
const ActionConfirm = (props) => {
  const { action, record, records, resource } = props;
  // AdminJS's own handling of an action's answer: notice, then redirect with a refresh.
  const handleResponse = useActionResponseHandler();
  const { translateMessage: tm, translateAction: ta, translateComponent: tc } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const custom = action.custom || {};
  const fields = custom.fields || [];
  const [values, setValues] = useState({});
  const [dryRun, setDryRun] = useState(null);
  const targets = records || (record ? [record] : []);
  const previewKey = record && record.params ? record.params.actionPreview : null;
  const preview = previewKey ? tm(previewKey, resource.id, JSON.parse(record.params.actionPreviewValues || "{}")) : null;
  const choices = record && record.params && record.params.actionChoices ? JSON.parse(record.params.actionChoices) : {};

  const run = async (preview) => {
    setBusy(true);
    setError(null);
    const data = preview === true ? { preview: "yes" } : { confirm: "yes" };
    for (const field of fields) if (values[field.name]) data[field.name] = toPayload(field, values[field.name]);
    try {
      const response =
        action.actionType === "bulk"
          ? await api.bulkAction({ resourceId: resource.id, actionName: action.name, recordIds: targets.map((r) => r.id), data })
          : await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data });
      const { notice, openUrl } = response.data;
      if (notice && notice.type === "error") setError(tm(notice.message, resource.id));
      // A dry run only shows what would happen.
      if (response.data.dryRun) {
        setDryRun(tm(response.data.dryRun.key, resource.id, response.data.dryRun.values || {}));
        return;
      }
      // The printable ticket lives on the site: a full page load, not an AdminJS route.
      if (openUrl) window.location.assign(openUrl);
      else handleResponse(response);
    } catch {
      setError(tc("ActionConfirm.failed"));
    } finally {
      setBusy(false);
    }
  };

  const missing = fields.some((f) => f.required && !values[f.name]);

  return (
    <Box variant="container" data-testid={`action-${action.name}`}>
      <Text mb="lg">{tm(custom.description, resource.id)}</Text>
      {preview && (
        <Box mb="lg">
          <MessageBox message={preview} variant="info" data-testid="action-preview" />
        </Box>
      )}
      {targets.length > 0 && (
        <Box mb="lg">
          {targets.slice(0, 20).map((r) => (
            <Text key={r.id}>• {r.title}</Text>
          ))}
          {targets.length > 20 && <Text>{tc("ActionConfirm.more", { count: targets.length - 20 })}</Text>}
        </Box>
      )}
      {fields.map((field) => (
        <Box mb="lg" key={field.name}>
          <Label htmlFor={`field-${field.name}`} required={field.required}>
            {tm(field.label, resource.id)}
          </Label>
          {field.type === "select" ? (
            <select
              id={`field-${field.name}`}
              value={values[field.name] || ""}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
              style={{ width: "100%", padding: "8px", fontSize: "14px" }}
            >
              <option value="">{tc("ActionConfirm.keep")}</option>
              {(choices[field.name] || []).map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          ) : field.type === "textarea" ? (
            <TextArea
              id={`field-${field.name}`}
              width={1}
              value={values[field.name] || ""}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
            />
          ) : (
            <Input
              id={`field-${field.name}`}
              type={field.type === "datetime" ? "datetime-local" : field.type === "number" ? "number" : "text"}
              width={1}
              value={values[field.name] || ""}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
            />
          )}
        </Box>
      ))}
      {error && <MessageBox mb="lg" message={error} variant="danger" />}
      {dryRun && (
        <Box mb="lg" data-testid="dry-run">
          <MessageBox message={dryRun} variant="info" style={{ whiteSpace: "pre-line" }} />
        </Box>
      )}
      {custom.canPreview && (
        <Button mr="default" variant="outlined" disabled={busy} onClick={() => run(true)} data-testid="preview-action">
          {tc("ActionConfirm.preview")}
        </Button>
      )}
      <Button variant="primary" disabled={busy || missing} onClick={() => run(false)} data-testid="confirm-action">
        {busy ? tc("ActionConfirm.working") : ta(action.name, resource.id, { defaultValue: custom.label })}
      </Button>
    </Box>
  );
};

export default ActionConfirm;
