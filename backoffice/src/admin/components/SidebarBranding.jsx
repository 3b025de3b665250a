import React, { useEffect } from "react";
import { useTranslation } from "adminjs";

// AdminJS's sidebar logo, plus one duty: this component is on every signed-in page, so it
// hears the top bar's language switch and stores the choice on the admin's user
// (POST /admin/language), which makes it follow them to any browser (ADR-0015).
const SidebarBranding = (props) => {
  const { OriginalComponent } = props;
  const { i18n } = useTranslation();
  useEffect(() => {
    const remember = (language) => {
      fetch("/admin/language", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ language }).toString(),
      }).catch(() => {});
    };
    i18n.on("languageChanged", remember);
    return () => i18n.off("languageChanged", remember);
  }, [i18n]);
  return OriginalComponent ? <OriginalComponent {...props} /> : null;
};

export default SidebarBranding;
