// Page side of the installable app: registers /sw.js, marks the offline copy of a page, and on a quota page keeps
// a report made offline in IndexedDB until it can be sent. Texts come translated in data- attributes. When the
// server can be reached, the report form posts as it does without JavaScript.
(() => {
  "use strict";
  const me = document.currentScript, main = document.querySelector("main"), sw = navigator.serviceWorker;
  if (!sw || !me || !main) return;
  sw.register(me.dataset.sw, { scope: "/" }).catch(() => null);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
  const add = (parent, tag, text) => {
    const el = parent.appendChild(document.createElement(tag));
    el.textContent = text;
    return el;
  };
  const copyTime = main.dataset.offlineCopy;
  if (copyTime) {
    main.querySelectorAll(".messages").forEach((m) => m.remove()); // "Recorded …" of the moment of the copy
    const time = new Date(copyTime).toLocaleString(document.documentElement.lang, { dateStyle: "medium", timeStyle: "short" });
    const line = add(main, "p", fill(me.dataset.offlineCopy, { time }));
    line.className = "offline-banner";
    main.prepend(line);
  }
  document.querySelectorAll(`form[action="${me.dataset.logout}"]`).forEach((f) =>
    f.addEventListener("submit", () => sw.controller?.postMessage("forget-pages")));

  const form = document.querySelector("form[data-offline-report]"), box = document.getElementById("offline-queue");
  if (!form || !box || !window.indexedDB) return;
  const t = box.dataset, note = box.querySelector("p"), list = box.querySelector("ul");
  const field = (name) => form.elements.namedItem(name);
  // A page copy carries the key of when it was made, maybe used already: each page and each saved report gets its own.
  const newKey = () => { field("idempotency_key").value = crypto.randomUUID(); };
  newKey();
  const day = field("report_date");
  if (copyTime && day.value === day.defaultValue) {
    // The copy may be from an earlier day; the default is today, as the server would have written it.
    const format = new Intl.DateTimeFormat(`${document.documentElement.lang}-u-ca-persian`, { year: "numeric", month: "2-digit", day: "2-digit" });
    const part = Object.fromEntries(format.formatToParts(new Date()).map((p) => [p.type, p.value]));
    day.value = `${part.year}/${part.month}/${part.day}`;
  }

  const opened = new Promise((ok, ko) => {
    const r = indexedDB.open("hamdeli-offline", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("reports", { keyPath: "key" });
    r.onsuccess = () => ok(r.result);
    r.onerror = () => ko(r.error);
  });
  const store = async (mode, act) => {
    const tx = (await opened).transaction("reports", mode), req = act(tx.objectStore("reports"));
    return new Promise((ok, ko) => { tx.oncomplete = () => ok(req.result); tx.onerror = () => ko(tx.error); });
  };
  // Only this person's: another who logs in on the same phone neither sees nor sends them.
  const all = async () => (await store("readonly", (s) => s.getAll())).filter((e) => e.owner === form.dataset.owner);
  const put = (entry) => store("readwrite", (s) => s.put(entry));
  const drop = (key) => store("readwrite", (s) => s.delete(key));
  const why = {}, sent = []; // in this page: why an entry still waits; what was sent

  async function show() {
    list.replaceChildren();
    for (const e of await all()) {
      const li = add(list, "li", `${fill(t.item, e.fields)} (${e.title}) `);
      add(li, "strong", e.refused ? `${t.refused} ${e.refused}` : why[e.key] || t.waiting);
      if (!e.refused) continue;
      li.className = "refused";
      const remove = add(li, "button", t.remove);
      remove.className = "link";
      remove.addEventListener("click", () => drop(e.key).then(show));
    }
    for (const text of sent) add(add(list, "li", text + " "), "strong", t.sent).className = "sent";
    box.hidden = !list.children.length && !note.textContent;
  }

  // A phone on a network without internet still says navigator.onLine: a small request (the manifest, never from a
  // cache) tells. When it answers, the form is posted the ordinary way, as without JavaScript.
  const reachable = () => fetch(document.querySelector("link[rel=manifest]").href, {
    method: "HEAD", cache: "no-store", signal: AbortSignal.timeout?.(6000),
  }).then((response) => response.ok, () => false);
  let saving = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (saving) return; // a second tap while the first is being checked or saved
    const empty = !field("quantity").value.trim();
    if (empty && !navigator.onLine) return;
    saving = true;
    if (empty || (navigator.onLine && (await reachable()))) return form.submit(); // the page goes; saving stays set
    try {
      const fields = Object.fromEntries(new FormData(form));
      const { owner, title } = form.dataset;
      await put({ key: fields.idempotency_key, url: form.action.split("#")[0], owner, title, fields });
      field("quantity").value = field("note").value = "";
      newKey(); // what she types next is another report
      note.textContent = t.saved;
      await show();
    } finally {
      saving = false;
    }
  });

  async function sendOne(e) {
    const token = form.elements.csrfmiddlewaretoken.value; // this page's: the stored one may predate a new login
    let response;
    try {
      response = await fetch(e.url, {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token },
        body: new URLSearchParams({ ...e.fields, csrfmiddlewaretoken: token }),
      });
    } catch {
      return false; // no connection yet: it waits
    }
    if (response.ok) note.textContent = ""; // answered: "saved on your phone" is no longer the news
    if (response.ok && response.redirected && new URL(response.url).pathname === new URL(e.url).pathname) {
      await drop(e.key);
      sent.push(fill(t.item, e.fields));
      return true;
    }
    if (response.ok && !response.redirected) {
      // The form came back with the server's reasons (over the ceiling, a closed day…): she sees them.
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const reasons = [...page.querySelectorAll("#report .errorlist li, main .messages .error")].map((li) => li.textContent.trim());
      await put({ ...e, refused: reasons.join(" ") || t.problem });
    } else why[e.key] = response.ok ? t.login : t.problem; // logged out, or a server error: it waits
    return false;
  }

  let busy = false;
  async function sendAll() {
    if (!navigator.onLine || busy) return;
    busy = true; // one sender per page; the lock below, one across tabs (an entry is read again inside it)
    let any = false;
    const run = async () => { for (const e of await all()) if (!e.refused && (await sendOne(e))) any = true; };
    try {
      await (navigator.locks ? navigator.locks.request("hamdeli-offline-reports", run) : run());
      if (any) {
        const page = new DOMParser().parseFromString(await (await fetch(location.pathname)).text(), "text/html");
        for (const id of ["progress", "reports"]) document.getElementById(id)?.replaceWith(page.getElementById(id) ?? "");
      }
    } catch {
      // offline again: the totals update at the next visit
    } finally {
      busy = false;
      await show();
    }
  }

  window.addEventListener("online", sendAll);
  setInterval(sendAll, 60000); // "online" can come before the server is reachable again
  show().then(sendAll);
})();
