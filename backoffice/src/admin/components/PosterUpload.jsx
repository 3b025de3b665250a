import React, { useState } from "react";
import { useTranslation } from "adminjs";
import { Box, Label, Text, ValueGroup } from "@adminjs/design-system";

const PROBLEMS = ["too_big", "not_an_image", "wrong_type", "too_many_pixels", "too_small", "not_found"];

/**
 * A show's poster: the picture, and on the edit page a file field that sends the image to
 * /admin/upload/shows/<id>/poster (checked, resized and stored by the server), which sets
 * the show's poster at once. A new show is saved first.
 */
const PosterUpload = (props) => {
  const { record, property, resource, where, onChange } = props;
  const { translateComponent: tc, translateProperty: tp } = useTranslation();
  const [state, setState] = useState({ busy: false, error: null, done: false });
  const current = record?.params?.[property.path] || null;
  const id = record?.id;
  const inputId = `poster-file-${id || "new"}`;

  // Uploaded posters are previewed through the back-office (the site may be on another address).
  const src = current && current.startsWith("/posters/uploads/") ? `/admin/posters/${current.slice("/posters/uploads/".length)}` : current;
  const preview = current ? (
    <img src={src} alt={tc("PosterUpload.alt")} data-testid="poster-preview" style={{ display: "block", maxWidth: 200, maxHeight: 300, marginBottom: 8 }} />
  ) : (
    <Text mb="default">{tc("PosterUpload.none")}</Text>
  );

  if (where === "show") return <ValueGroup label={tp(property.label, resource.id)}>{preview}</ValueGroup>;

  const upload = async (event) => {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    // The server refuses it too (and reads no further); saying so now spares the wait.
    if (property.props && property.props.maxBytes && file.size > property.props.maxBytes) {
      setState({ busy: false, error: "too_big", done: false });
      event.target.value = "";
      return;
    }
    setState({ busy: true, error: null, done: false });
    try {
      const response = await fetch(`/admin/upload/shows/${encodeURIComponent(id)}/poster`, {
        method: "POST",
        headers: { "Content-Type": "application/octet-stream" },
        body: file,
        credentials: "same-origin",
      });
      if (response.ok) {
        const body = await response.json();
        onChange(property.path, body.posterImage);
        setState({ busy: false, error: null, done: true });
        return;
      }
      let problem = response.status === 413 ? "too_big" : "failed";
      if (response.status === 422 || response.status === 404) problem = (await response.json()).problem;
      setState({ busy: false, error: PROBLEMS.includes(problem) ? problem : "failed", done: false });
    } catch {
      setState({ busy: false, error: "failed", done: false });
    }
    event.target.value = "";
  };

  return (
    <Box mb="xl" data-testid="poster-upload">
      <Label htmlFor={inputId}>{tp(property.label, resource.id)}</Label>
      {preview}
      {id ? (
        <>
          <input
            id={inputId}
            type="file"
            accept="image/jpeg,image/png,image/webp"
            onChange={upload}
            disabled={state.busy}
            aria-describedby={`${inputId}-help`}
            data-testid="poster-file"
          />
          <Text id={`${inputId}-help`} mt="sm" fontSize="sm">
            {tc("PosterUpload.help")}
          </Text>
        </>
      ) : (
        <Text>{tc("PosterUpload.saveFirst")}</Text>
      )}
      <div aria-live="polite" data-testid="poster-status">
        {state.busy && <Text mt="default">{tc("PosterUpload.working")}</Text>}
        {state.done && <Text mt="default">{tc("PosterUpload.done")}</Text>}
      </div>
      {state.error && (
        <p role="alert" data-testid="poster-error" style={{ color: "#b42318", fontWeight: 600, marginTop: 8 }}>
          {tc(`PosterUpload.errors.${state.error}`)}
        </p>
      )}
    </Box>
  );
};

export default PosterUpload;
