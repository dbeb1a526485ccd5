// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Auto-submit selects marked data-autosubmit (filters); a submit button stays for no-JS.
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.requestSubmit());
  });
});

// Journal drafts: a copy of the text is kept in localStorage while typing, so nothing
// is lost on reload or when the network is down; the server copy is saved by htmx
// (autosave). When the page opens with a stored copy that differs from the server's,
// the user is offered to restore it. A signed note clears its copy.
document.addEventListener("DOMContentLoaded", () => {
  const store = window.localStorage;
  if (!store) return;
  document.querySelectorAll("[data-clear-draft]").forEach((el) => {
    store.removeItem(el.dataset.clearDraft);
  });
  document.querySelectorAll("textarea[data-draft-key]").forEach((area) => {
    const key = area.dataset.draftKey;
    const stored = store.getItem(key);
    const restore = area.form && area.form.querySelector(".draft-restore");
    if (stored !== null && stored !== area.value && restore) {
      restore.hidden = false;
      restore.querySelector("[data-draft-restore]").addEventListener("click", () => {
        area.value = stored;
        restore.hidden = true;
        area.dispatchEvent(new Event("input", { bubbles: true }));
        area.focus();
      });
    }
    area.addEventListener("input", () => store.setItem(key, area.value));
    let sent = null;
    area.addEventListener("htmx:configRequest", (event) => {
      sent = event.detail.parameters.text;
    });
    area.addEventListener("htmx:afterRequest", (event) => {
      const saved = event.detail.successful && event.detail.xhr.responseText.indexOf('class="saved"') !== -1;
      if (saved && sent === area.value) store.removeItem(key);
    });
    holdSubmitDuringAutosave(area);
  });
});

// Clicking "Sign" right after typing blurs the text box, which autosaves; that save
// raises the note's version, so the form (still holding the old version) would be
// refused as someone else's edit. Hold the submit until the autosave has answered (its
// answer brings the new version), and send no autosave once the form is on its way.
function holdSubmitDuringAutosave(area) {
  const form = area.form;
  if (!form) return;
  let inFlight = 0;
  let submitting = false;
  let held = null;
  const release = () => {
    if (inFlight === 0 && held) {
      const submitter = held.submitter;
      held = null;
      form.requestSubmit(submitter);
    }
  };
  area.addEventListener("htmx:beforeRequest", (event) => {
    if (submitting) event.preventDefault();
  });
  area.addEventListener("htmx:beforeSend", () => {
    inFlight += 1;
  });
  area.addEventListener("htmx:afterRequest", () => {
    inFlight = Math.max(0, inFlight - 1);
    // After htmx has sent any queued autosave, which then holds the submit in turn.
    window.setTimeout(release, 0);
  });
  form.addEventListener("submit", (event) => {
    if (inFlight > 0) {
      event.preventDefault();
      held = { submitter: event.submitter || null };
      return;
    }
    submitting = true;
  });
  window.addEventListener("pageshow", () => {
    submitting = false;
  });
}
