/* Staff calendar: FullCalendar over the JSON API. Every change goes through the API, so the
   booking rules (working time, rooms, no double booking) are the server's, never this file's. */
(function () {
  "use strict";
  const setup = JSON.parse(document.getElementById("calendar-setup").textContent);
  const csrf = document.getElementById("csrf-token").value;
  const status = document.getElementById("calendar-status");
  const therapistFilter = document.getElementById("filter-therapist");
  const locationFilter = document.getElementById("filter-location");
  const colours = ["#2f6f62", "#6a4c93", "#1d6fa5", "#b5523b", "#7a7d1f", "#a33b72"];
  const therapistColour = {};
  setup.therapists.forEach(function (t, i) { therapistColour[t.id] = colours[i % colours.length]; });

  function option(select, value, label) {
    const element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    select.appendChild(element);
    return element;
  }
  setup.therapists.forEach(function (t) { option(therapistFilter, t.id, t.name); });
  setup.locations.forEach(function (l) { option(locationFilter, l.id, l.name); });
  const params = new URLSearchParams(window.location.search);
  therapistFilter.value = params.get("therapist") || "";
  locationFilter.value = params.get("location") || "";

  /* With a named time zone and no zone plugin, FullCalendar's Date objects carry the clinic's
     wall-clock time in their UTC fields ("UTC coercion"). These turn such a Date into the real
     instant, and format it, in the clinic's zone. */
  function zoneOffsetMinutes(utcMillis) {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: setup.timeZone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(new Date(utcMillis));
    const get = function (type) { return Number(parts.find(function (p) { return p.type === type; }).value); };
    const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
    return (wall - utcMillis) / 60000;
  }
  function instant(coerced) {
    const wall = coerced.getTime();
    let guess = wall - zoneOffsetMinutes(wall) * 60000;
    guess = wall - zoneOffsetMinutes(guess) * 60000;  // again, in case a clock change lies between
    return new Date(guess).toISOString();
  }
  function wallClockText(coerced) {
    return coerced.toLocaleString([], { dateStyle: "full", timeStyle: "short", timeZone: "UTC" });
  }

  function say(message, kind) {
    status.innerHTML = "";
    if (!message) return;
    const item = document.createElement("div");
    item.className = "message " + (kind || "");
    item.textContent = message;
    status.appendChild(item);
  }

  async function api(method, path, body) {
    const response = await fetch("/api/v1" + path, {
      method: method,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      credentials: "same-origin",
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = response.status === 204 ? null : await response.json().catch(function () { return null; });
    if (!response.ok) {
      let detail = data && data.detail;
      if (Array.isArray(detail)) detail = detail.map(function (d) { return d.msg; }).join(" ");
      throw new Error(detail || ("The server answered " + response.status + "."));
    }
    return data;
  }

  function toEvent(appointment) {
    const cancelled = appointment.status === "cancelled" || appointment.status === "late_cancelled";
    return {
      id: String(appointment.id),
      title: appointment.client_name + " · " + appointment.service_name,
      start: appointment.start,
      end: appointment.end,
      backgroundColor: cancelled ? "#c9d2d4" : therapistColour[appointment.therapist] || "#2f6f62",
      borderColor: cancelled ? "#c9d2d4" : therapistColour[appointment.therapist] || "#2f6f62",
      textColor: cancelled ? "#4a5558" : "#fff",
      editable: appointment.status === "booked" && setup.canBook,
      classNames: ["status-" + appointment.status],
      extendedProps: appointment,
    };
  }

  const calendar = new FullCalendar.Calendar(document.getElementById("calendar"), {
    initialView: params.get("view") || "timeGridWeek",
    initialDate: params.get("date") || undefined,
    timeZone: setup.timeZone,
    headerToolbar: { left: "prev,next today", center: "title", right: "timeGridDay,timeGridWeek,listWeek" },
    nowIndicator: true,
    slotMinTime: "07:00:00",
    slotMaxTime: "21:00:00",
    slotDuration: "00:15:00",
    allDaySlot: false,
    height: "auto",
    selectable: setup.canBook,
    editable: setup.canBook,
    eventDurationEditable: false,
    events: function (info, success, failure) {
      const query = new URLSearchParams({ start: info.startStr.slice(0, 10), end: info.endStr.slice(0, 10) });
      if (therapistFilter.value) query.set("therapist", therapistFilter.value);
      if (locationFilter.value) query.set("location", locationFilter.value);
      api("GET", "/appointments?" + query.toString())
        .then(function (rows) { success(rows.map(toEvent)); })
        .catch(function (error) { say(error.message, "error"); failure(error); });
    },
    eventDrop: async function (info) {
      try {
        await api("POST", "/appointments/" + info.event.id + "/reschedule", { start: instant(info.event.start) });
        say("Moved " + info.event.extendedProps.client_name + " to " + wallClockText(info.event.start) + ".", "success");
        calendar.refetchEvents();
      } catch (error) {
        info.revert();
        say("Not moved: " + error.message, "error");
      }
    },
    select: function (info) { openBooking(info.start); calendar.unselect(); },
    eventClick: function (info) { openVisit(info.event); },
  });
  calendar.render();

  function refilter() {
    const query = new URLSearchParams(window.location.search);
    query.delete("therapist");
    query.delete("location");
    if (therapistFilter.value) query.set("therapist", therapistFilter.value);
    if (locationFilter.value) query.set("location", locationFilter.value);
    window.history.replaceState(null, "", "?" + query.toString());
    calendar.refetchEvents();
  }
  therapistFilter.addEventListener("change", refilter);
  locationFilter.addEventListener("change", refilter);

  document.querySelectorAll("dialog [data-close]").forEach(function (button) {
    button.addEventListener("click", function () { button.closest("dialog").close(); });
  });

  /* Booking a new visit from an empty time. */
  const bookDialog = document.getElementById("book-dialog");
  const clientSearch = document.getElementById("book-client-search");
  const clientSelect = document.getElementById("book-client");
  const serviceSelect = document.getElementById("book-service");
  const minutesSelect = document.getElementById("book-minutes");
  const therapistSelect = document.getElementById("book-therapist");
  const locationSelect = document.getElementById("book-location");
  const bookError = document.getElementById("book-error");
  let bookingStart = null;
  setup.services.forEach(function (s) { option(serviceSelect, s.id, s.name); });
  setup.therapists.forEach(function (t) { option(therapistSelect, t.id, t.name); });
  setup.locations.filter(function (l) { return !l.mobile; }).forEach(function (l) { option(locationSelect, l.id, l.name); });

  function fillMinutes() {
    const service = setup.services.find(function (s) { return String(s.id) === serviceSelect.value; });
    minutesSelect.innerHTML = "";
    (service ? service.durations : []).forEach(function (m) { option(minutesSelect, m, m + " minutes"); });
  }
  serviceSelect.addEventListener("change", fillMinutes);

  let searchTimer = null;
  clientSearch.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(async function () {
      const found = await api("GET", "/clients?q=" + encodeURIComponent(clientSearch.value.trim()));
      clientSelect.innerHTML = "";
      found.forEach(function (c) {
        option(clientSelect, c.id, c.legal_last_name + ", " + (c.preferred_name || c.legal_first_name) + (c.email ? " — " + c.email : ""));
      });
      if (found.length) clientSelect.selectedIndex = 0;
    }, 200);
  });

  function openBooking(start) {
    bookingStart = start;
    bookError.textContent = "";
    document.getElementById("book-when").textContent = wallClockText(start);
    if (therapistFilter.value) therapistSelect.value = therapistFilter.value;
    fillMinutes();
    bookDialog.showModal();
    clientSearch.focus();
  }

  document.getElementById("book-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    bookError.textContent = "";
    if (!clientSelect.value) { bookError.textContent = "Choose the client."; return; }
    try {
      const made = await api("POST", "/appointments", {
        client: Number(clientSelect.value),
        service: Number(serviceSelect.value),
        minutes: Number(minutesSelect.value),
        therapist: Number(therapistSelect.value),
        location: Number(locationSelect.value),
        start: instant(bookingStart),
        accepts_cancellation_policy: document.getElementById("book-policy").checked,
        idempotency_key: "calendar-" + bookingStart.getTime() + "-" + clientSelect.value,
      });
      bookDialog.close();
      say("Booked " + made.client_name + (made.warnings.length ? ". " + made.warnings.join(" ") : "."), made.warnings.length ? "warning" : "success");
      calendar.refetchEvents();
    } catch (error) {
      bookError.textContent = error.message;
    }
  });

  /* An existing visit: attendance and cancelling. */
  const visitDialog = document.getElementById("visit-dialog");
  const visitError = document.getElementById("visit-error");
  let currentVisit = null;

  function openVisit(event) {
    const visit = event.extendedProps;
    currentVisit = visit;
    visitError.textContent = "";
    document.getElementById("visit-title").textContent = visit.client_name;
    document.getElementById("visit-when").textContent = wallClockText(event.start);
    document.getElementById("visit-detail").textContent = visit.service_name + ", " + visit.minutes + " min with " + visit.therapist_name + " — " + visit.status.replace("_", " ") + (visit.in_home_address ? " — " + visit.in_home_address : "");
    document.getElementById("visit-client-link").href = "/staff/clients/" + visit.client + "/";
    visitDialog.querySelectorAll("[data-attendance], #visit-cancel").forEach(function (b) { b.hidden = !setup.canBook; });
    visitDialog.showModal();
  }

  async function act(path, body, done) {
    visitError.textContent = "";
    try {
      await api("POST", "/appointments/" + currentVisit.id + path, body);
      visitDialog.close();
      say(done, "success");
      calendar.refetchEvents();
    } catch (error) {
      visitError.textContent = error.message;
    }
  }
  visitDialog.querySelectorAll("[data-attendance]").forEach(function (button) {
    button.addEventListener("click", function () {
      act("/attendance", { status: button.dataset.attendance }, currentVisit.client_name + ": marked " + button.textContent.toLowerCase() + ".");
    });
  });
  document.getElementById("visit-cancel").addEventListener("click", function () {
    const reason = window.prompt("Reason for cancelling (optional):", "") ;
    if (reason === null) return;
    act("/cancel", { reason: reason }, currentVisit.client_name + "'s visit is cancelled.");
  });
})();
