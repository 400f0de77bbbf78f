/* The staff schedule: FullCalendar Scheduler (GPLv3 option, Fascia being AGPL) over the JSON
   API. A column per therapist (or room), their working time with the rest shaded, each visit
   with its icons. Every change goes through the API, so the booking rules (working time,
   rooms, travel, no double booking) are the server's; this file only refuses early what the
   server would certainly refuse, so the front desk hears why before the drop completes. */
(function () {
  "use strict";
  const setup = JSON.parse(document.getElementById("calendar-setup").textContent);
  const text = setup.text;
  const csrf = document.getElementById("csrf-token").value;
  const status = document.getElementById("calendar-status");
  const therapistFilter = document.getElementById("filter-therapist");
  const locationFilter = document.getElementById("filter-location");
  const columnsFilter = document.getElementById("filter-columns");
  const listLink = document.getElementById("list-link");
  const OCCUPYING = ["booked", "arrived", "completed"];

  function option(select, value, label) {
    const element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    select.appendChild(element);
    return element;
  }
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }
  setup.therapists.forEach(function (t) { option(therapistFilter, t.id, t.name); });
  setup.locations.forEach(function (l) { option(locationFilter, l.id, l.name); });
  const params = new URLSearchParams(window.location.search);
  therapistFilter.value = params.get("therapist") || "";
  locationFilter.value = params.get("location") || "";
  columnsFilter.value = params.get("columns") === "rooms" ? "rooms" : "therapists";
  const narrow = window.matchMedia("(max-width: 700px)").matches;

  /* With a named time zone and no zone plugin, FullCalendar's Date objects carry the clinic's
     wall-clock time in their UTC fields ("UTC coercion"). The server sends times in the
     clinic's zone; `wall` keeps their wall-clock part, `instant` turns a coerced Date back
     into the real moment for the API. */
  function wall(iso) { return iso.slice(0, 19); }
  function coercedMillis(iso) { return Date.parse(wall(iso) + "Z"); }
  function zoneOffsetMinutes(utcMillis) {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: setup.timeZone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(new Date(utcMillis));
    const get = function (type) { return Number(parts.find(function (p) { return p.type === type; }).value); };
    const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
    return (local - utcMillis) / 60000;
  }
  function instant(coerced) {
    const local = coerced.getTime();
    let guess = local - zoneOffsetMinutes(local) * 60000;
    guess = local - zoneOffsetMinutes(guess) * 60000;  // again, in case a clock change lies between
    return new Date(guess).toISOString();
  }
  function wallClockText(coerced) {
    return coerced.toLocaleString(setup.locale, { dateStyle: "full", timeStyle: "short", timeZone: "UTC" });
  }
  function isoDay(coerced) { return coerced.toISOString().slice(0, 10); }

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
      throw new Error(detail || format(text.serverSaid, { status: response.status }));
    }
    return data;
  }

  /* One request per range fills the columns, the shading and the visits. */
  let board = { columns: [], working: [], off_hours: [], visits: [] };
  let boardRequest = null;
  let boardKey = "";
  function loadBoard(startStr, endStr) {
    const end = new Date(Date.parse(endStr.slice(0, 10) + "T00:00:00Z") - 86400000);
    const query = new URLSearchParams({
      start: startStr.slice(0, 10), end: end.toISOString().slice(0, 10),
      columns: columnsFilter.value,
    });
    if (therapistFilter.value) query.set("therapist", therapistFilter.value);
    if (locationFilter.value) query.set("location", locationFilter.value);
    const key = query.toString();
    if (key !== boardKey || !boardRequest) {
      boardKey = key;
      boardRequest = api("GET", "/schedule?" + key).then(function (data) { board = data; return data; });
    }
    return boardRequest;
  }
  function reload() { boardRequest = null; calendar.refetchResources(); calendar.refetchEvents(); }

  function toEvent(visit) {
    const cancelled = visit.status === "cancelled" || visit.status === "late_cancelled";
    return {
      id: String(visit.id),
      resourceId: visit.column,
      title: visit.client_name,
      start: wall(visit.start),
      end: wall(visit.end),
      editable: visit.status === "booked" && setup.canBook,
      resourceEditable: columnsFilter.value === "therapists",
      classNames: ["visit", "status-" + visit.status].concat(visit.flags.indexOf("home") >= 0 ? ["place-home"] : []),
      extendedProps: visit,
      display: cancelled ? "block" : "auto",
    };
  }
  function shading() {
    return board.off_hours.map(function (range) {
      return {
        resourceId: range.column, start: wall(range.start), end: wall(range.end),
        display: "background", classNames: ["off-hours"], extendedProps: { offHours: true },
      };
    });
  }

  function icons(visit) {
    const holder = document.createElement("span");
    holder.className = "visit-icons";
    visit.flags.forEach(function (flag) {
      const icon = document.createElement("span");
      icon.className = "icon icon-" + flag;
      icon.textContent = setup.icons[flag].symbol;
      icon.title = setup.icons[flag].label;
      icon.setAttribute("aria-hidden", "true");
      holder.appendChild(icon);
    });
    return holder;
  }
  function flagWords(visit) {
    return visit.flags.map(function (flag) { return setup.icons[flag].label; }).join(", ");
  }

  function working(column, start, end) {
    /* The working stretch of this therapist that holds [start, end), or null. */
    const from = start.getTime(), to = end.getTime();
    return board.working.find(function (stretch) {
      return stretch.column === column && coercedMillis(stretch.start) <= from && to <= coercedMillis(stretch.end);
    }) || null;
  }
  function clash(column, start, end, exceptId) {
    const from = start.getTime(), to = end.getTime();
    return board.visits.find(function (visit) {
      return visit.column === column && String(visit.id) !== exceptId && OCCUPYING.indexOf(visit.status) >= 0 &&
        coercedMillis(visit.start) < to && from < coercedMillis(visit.end);
    }) || null;
  }
  function therapistName(column) {
    const found = setup.therapists.find(function (t) { return String(t.id) === String(column); });
    return found ? found.name : "";
  }
  let lastRefusal = "";
  function refuse(reason) {
    if (reason !== lastRefusal) { say(reason, "error"); lastRefusal = reason; }
    return false;
  }
  function moveRefusal(column, start, end, exceptId) {
    if (columnsFilter.value !== "therapists") return null;
    if (!working(column, start, end)) return format(text.notWorking, { name: therapistName(column) });
    const other = clash(column, start, end, exceptId);
    if (other) return format(text.taken, { name: therapistName(column), client: other.client_name });
    return null;
  }

  // On a phone a column per therapist cannot fit: the day and the week are lists there.
  const views = narrow
    ? { day: "listDay", week: "listWeek", list: "listDay" }
    : { day: "resourceTimeGridDay", week: "resourceTimeGridWeek", list: "listDay" };
  const calendar = new FullCalendar.Calendar(document.getElementById("calendar"), {
    schedulerLicenseKey: "GPL-My-Project-Is-Open-Source",
    locale: setup.locale,
    initialView: views[params.get("view")] || (narrow && /^resource/.test(params.get("view") || "") ? null : params.get("view")) || views.day,
    initialDate: params.get("date") || undefined,
    timeZone: setup.timeZone,
    headerToolbar: narrow
      ? { left: "prev,next", center: "title", right: "listDay,listWeek" }
      : { left: "prev,next today", center: "title", right: "resourceTimeGridDay,resourceTimeGridWeek,listDay" },
    buttonText: {
      today: text.today, resourceTimeGridDay: text.day, resourceTimeGridWeek: text.week,
      listDay: narrow ? text.day : text.list, listWeek: text.week,
    },
    buttonHints: { prev: text.previous, next: text.next, today: text.today },
    datesAboveResources: true,
    nowIndicator: true,
    slotMinTime: setup.dayStarts,
    slotMaxTime: setup.dayEnds,
    slotDuration: "00:15:00",
    slotLabelInterval: "01:00",
    allDaySlot: false,
    height: "auto",
    stickyHeaderDates: true,
    selectable: setup.canBook,
    editable: setup.canBook,
    eventDurationEditable: false,
    eventOverlap: true,
    resourceOrder: "order",
    refetchResourcesOnNavigate: true,
    resources: function (info, success, failure) {
      loadBoard(info.startStr, info.endStr)
        .then(function (data) {
          success(data.columns.map(function (column, index) { return { id: column.id, title: column.title, order: index }; }));
        })
        .catch(function (error) { say(error.message, "error"); failure(error); });
    },
    events: function (info, success, failure) {
      loadBoard(info.startStr, info.endStr)
        .then(function (data) { success(data.visits.map(toEvent).concat(shading())); })
        .catch(function (error) { say(error.message, "error"); failure(error); });
    },
    eventContent: function (arg) {
      const visit = arg.event.extendedProps;
      if (visit.offHours) return { domNodes: [] };
      const top = document.createElement("div");
      top.className = "visit-top";
      top.appendChild(icons(visit));
      const name = document.createElement("strong");
      name.textContent = " " + visit.client_name;
      top.appendChild(name);
      const detail = document.createElement("div");
      detail.className = "visit-detail";
      const place = visit.flags.indexOf("home") >= 0 ? text.atHome : (visit.room_name || visit.location_name);
      // A list has no therapist columns: it names the therapist.
      const who = arg.view.type.indexOf("list") === 0 ? " · " + visit.therapist_name : "";
      detail.textContent = (arg.timeText ? arg.timeText + " · " : "") + visit.service_name + " · " + place + who;
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " (" + flagWords(visit) + ")";
      detail.appendChild(hidden);
      return { domNodes: [top, detail] };
    },
    eventDidMount: function (arg) {
      const visit = arg.event.extendedProps;
      if (visit.offHours) return;
      arg.el.setAttribute("title", visit.client_name + " — " + visit.service_name + " — " + flagWords(visit));
    },
    selectAllow: function (info) {
      if (columnsFilter.value !== "therapists" || !info.resource) return true;
      const reason = moveRefusal(info.resource.id, info.start, info.end, "");
      return reason ? refuse(reason) : true;
    },
    eventAllow: function (drop, dragged) {
      const column = drop.resource ? drop.resource.id : dragged.getResources()[0].id;
      const reason = moveRefusal(column, drop.start, drop.end, dragged.id);
      if (reason) return refuse(reason);
      lastRefusal = "";
      return true;
    },
    eventDragStart: function () { lastRefusal = ""; say(""); },
    eventDrop: function (info) { confirmMove(info); },
    select: function (info) { openBooking(info.start, info.resource); calendar.unselect(); },
    eventClick: function (info) {
      if (info.event.extendedProps.offHours) return;
      info.jsEvent.preventDefault();
      openVisit(info.event);
    },
    datesSet: function (info) {
      // The arrows' icons are drawn, and the buttons are named by their hints.
      document.querySelectorAll("#calendar .fc-icon").forEach(function (icon) { icon.setAttribute("aria-hidden", "true"); });
      const query = new URLSearchParams(window.location.search);
      query.set("date", isoDay(info.view.currentStart));
      query.set("view", info.view.type);
      window.history.replaceState(null, "", "?" + query.toString());
      listLink.href = setup.listUrl + "?date=" + isoDay(info.view.currentStart) + (therapistFilter.value ? "&therapist=" + therapistFilter.value : "");
    },
  });
  calendar.render();

  function refilter() {
    const query = new URLSearchParams(window.location.search);
    ["therapist", "location", "columns"].forEach(function (name) { query.delete(name); });
    if (therapistFilter.value) query.set("therapist", therapistFilter.value);
    if (locationFilter.value) query.set("location", locationFilter.value);
    if (columnsFilter.value === "rooms") query.set("columns", "rooms");
    window.history.replaceState(null, "", "?" + query.toString());
    reload();
  }
  [therapistFilter, locationFilter, columnsFilter].forEach(function (select) { select.addEventListener("change", refilter); });

  document.querySelectorAll("dialog [data-close]").forEach(function (button) {
    button.addEventListener("click", function () { button.closest("dialog").close(); });
  });

  /* Moving: a confirmation step, with "tell the client?". */
  const moveDialog = document.getElementById("move-dialog");
  let pendingMove = null;
  function confirmMove(info) {
    pendingMove = info;
    const visit = info.event.extendedProps;
    const column = info.newResource ? info.newResource.id : visit.column;
    document.getElementById("move-summary").textContent = format(text.moveSummary, {
      client: visit.client_name, when: wallClockText(info.event.start), name: therapistName(column),
    });
    document.getElementById("move-tell").checked = true;
    moveDialog.returnValue = "";
    moveDialog.showModal();
  }
  moveDialog.addEventListener("close", function () {
    if (!pendingMove) return;
    const info = pendingMove;
    pendingMove = null;
    if (moveDialog.returnValue !== "move") { info.revert(); say(text.notMoved, ""); return; }
    const visit = info.event.extendedProps;
    const body = { start: instant(info.event.start), tell_client: document.getElementById("move-tell").checked };
    if (info.newResource && columnsFilter.value === "therapists") body.therapist = Number(info.newResource.id);
    api("POST", "/appointments/" + visit.id + "/reschedule", body)
      .then(function () {
        say(format(text.moved, { client: visit.client_name, when: wallClockText(info.event.start) }), "success");
        reload();
      })
      .catch(function (error) { info.revert(); say(format(text.notMovedBecause, { reason: error.message }), "error"); });
  });
  document.getElementById("move-form").addEventListener("submit", function () { moveDialog.returnValue = "move"; });

  /* Booking a new visit from a free time. */
  const bookDialog = document.getElementById("book-dialog");
  const clientSearch = document.getElementById("book-client-search");
  const clientSelect = document.getElementById("book-client");
  const serviceSelect = document.getElementById("book-service");
  const minutesSelect = document.getElementById("book-minutes");
  const therapistSelect = document.getElementById("book-therapist");
  const placesBox = document.getElementById("book-places");
  const homeBox = document.getElementById("home-address");
  const homeResult = document.getElementById("home-result");
  const priceLine = document.getElementById("book-price");
  const bookError = document.getElementById("book-error");
  const homeFields = {
    street: document.getElementById("home-street"), unit: document.getElementById("home-unit"),
    city: document.getElementById("home-city"), postal_code: document.getElementById("home-postal"),
  };
  let bookingStart = null;
  let foundClients = [];
  let newClientId = null;
  setup.services.forEach(function (s) { option(serviceSelect, s.id, s.name); });
  setup.therapists.forEach(function (t) { option(therapistSelect, t.id, t.name); });

  function chosenService() { return setup.services.find(function (s) { return String(s.id) === serviceSelect.value; }); }
  function clientKind() { return bookDialog.querySelector("input[name=client-kind]:checked").value; }
  function chosenPlace() {
    const checked = placesBox.querySelector("input[name=place]:checked");
    return checked ? setup.locations.find(function (l) { return String(l.id) === checked.value; }) : null;
  }
  function fillMinutes() {
    const service = chosenService();
    const before = minutesSelect.value;
    minutesSelect.innerHTML = "";
    (service ? service.durations : []).forEach(function (d) {
      option(minutesSelect, d.minutes, format(text.minutes, { minutes: d.minutes, price: d.price }));
    });
    if (before) minutesSelect.value = before;
    if (!minutesSelect.value && minutesSelect.options.length) minutesSelect.selectedIndex = 0;
  }
  function fillPlaces(preferred) {
    const service = chosenService();
    placesBox.innerHTML = "";
    const offered = setup.locations.filter(function (l) {
      return service && service.locations.indexOf(l.id) >= 0 && (l.mobile ? service.in_home : service.in_clinic);
    });
    offered.forEach(function (location, index) {
      const label = document.createElement("label");
      label.className = "inline-check";
      const input = document.createElement("input");
      input.type = "radio"; input.name = "place"; input.value = location.id;
      input.checked = preferred ? location.id === preferred : index === 0;
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + (location.mobile ? format(text.homeVisit, { name: location.name }) : format(text.inClinic, { name: location.name }))));
      placesBox.appendChild(label);
    });
    if (!placesBox.querySelector("input:checked") && offered.length) placesBox.querySelector("input").checked = true;
    showPlace();
  }
  function showPlace() {
    const place = chosenPlace();
    homeBox.hidden = !(place && place.mobile);
    homeResult.textContent = "";
    quote();
  }
  let quoteTimer = null;
  function quote() {
    clearTimeout(quoteTimer);
    quoteTimer = setTimeout(async function () {
      const service = chosenService();
      const place = chosenPlace();
      if (!service || !minutesSelect.value) { priceLine.textContent = ""; return; }
      const query = new URLSearchParams({ service: service.id, minutes: minutesSelect.value });
      if (place && place.mobile) {
        if (!homeFields.postal_code.value.trim()) { priceLine.textContent = text.giveAddress; return; }
        query.set("location", place.id);
        query.set("postal_code", homeFields.postal_code.value.trim());
      }
      try {
        const cost = await api("GET", "/quote?" + query.toString());
        priceLine.textContent = format(cost.tax_name ? text.priceTaxed : text.priceUntaxed, {
          price: cost.price, travel: cost.travel_fee, tax: cost.tax, tax_name: cost.tax_name, total: cost.total,
        });
        if (place && place.mobile) {
          homeResult.textContent = format(text.homeServed, { area: cost.area, days: cost.days_served, fee: cost.travel_fee });
        }
      } catch (error) {
        priceLine.textContent = "";
        if (place && place.mobile) homeResult.textContent = error.message;
      }
    }, 150);
  }
  serviceSelect.addEventListener("change", function () { fillMinutes(); fillPlaces(); });
  minutesSelect.addEventListener("change", quote);
  placesBox.addEventListener("change", showPlace);
  document.getElementById("home-check").addEventListener("click", quote);
  homeFields.postal_code.addEventListener("change", quote);
  bookDialog.querySelectorAll("input[name=client-kind]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      const isNew = clientKind() === "new";
      document.getElementById("existing-client").hidden = isNew;
      document.getElementById("new-client").hidden = !isNew;
      (isNew ? document.getElementById("new-first") : clientSearch).focus();
    });
  });

  let searchTimer = null;
  clientSearch.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(async function () {
      foundClients = await api("GET", "/clients?q=" + encodeURIComponent(clientSearch.value.trim()));
      clientSelect.innerHTML = "";
      foundClients.forEach(function (c) {
        option(clientSelect, c.id, c.legal_last_name + ", " + (c.preferred_name || c.legal_first_name) + (c.email ? " — " + c.email : ""));
      });
      if (foundClients.length) { clientSelect.selectedIndex = 0; prefillAddress(); }
    }, 200);
  });
  clientSelect.addEventListener("change", prefillAddress);
  function prefillAddress() {
    const client = foundClients.find(function (c) { return String(c.id) === clientSelect.value; });
    if (!client) return;
    ["street", "unit", "city", "postal_code"].forEach(function (name) {
      if (!homeFields[name].value) homeFields[name].value = client[name] || "";
    });
    quote();
  }

  if (setup.bookFor) {  // "Book" on a client's page
    foundClients = [setup.bookFor];
    option(clientSelect, setup.bookFor.id, setup.bookFor.legal_last_name + ", " + (setup.bookFor.preferred_name || setup.bookFor.legal_first_name));
    clientSelect.value = String(setup.bookFor.id);
    prefillAddress();
    say(format(text.bookingFor, { client: (setup.bookFor.preferred_name || setup.bookFor.legal_first_name) + " " + setup.bookFor.legal_last_name }));
  }

  function openBooking(start, resource) {
    bookingStart = start;
    newClientId = null;
    bookError.textContent = "";
    document.getElementById("book-when").textContent = wallClockText(start);
    const column = resource && columnsFilter.value === "therapists" ? resource.id : therapistFilter.value;
    if (column) therapistSelect.value = column;
    const stretch = column ? working(column, start, new Date(start.getTime() + 60000)) : null;
    fillMinutes();
    fillPlaces(stretch ? stretch.location : null);
    bookDialog.showModal();
    (clientKind() === "new" ? document.getElementById("new-first") : clientSearch).focus();
  }

  async function clientForBooking() {
    if (clientKind() === "existing") {
      if (!clientSelect.value) throw new Error(text.chooseClient);
      return Number(clientSelect.value);
    }
    if (newClientId) return newClientId;  // made on an earlier try of this booking
    const first = document.getElementById("new-first").value.trim();
    const last = document.getElementById("new-last").value.trim();
    if (!first || !last) throw new Error(text.nameNewClient);
    const place = chosenPlace();
    const made = await api("POST", "/clients", {
      legal_first_name: first, legal_last_name: last,
      email: document.getElementById("new-email").value.trim(),
      phone: document.getElementById("new-phone").value.trim(),
      street: place && place.mobile ? homeFields.street.value.trim() : "",
      unit: place && place.mobile ? homeFields.unit.value.trim() : "",
      city: place && place.mobile ? homeFields.city.value.trim() : "",
      postal_code: place && place.mobile ? homeFields.postal_code.value.trim() : "",
    });
    newClientId = made.id;
    return made.id;
  }

  document.getElementById("book-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    bookError.textContent = "";
    const place = chosenPlace();
    if (!place) { bookError.textContent = text.noPlace; return; }
    if (place.mobile && (!homeFields.street.value.trim() || !homeFields.postal_code.value.trim())) {
      bookError.textContent = text.giveAddress; return;
    }
    try {
      const client = await clientForBooking();
      const body = {
        client: client,
        service: Number(serviceSelect.value),
        minutes: Number(minutesSelect.value),
        therapist: Number(therapistSelect.value),
        location: place.id,
        start: instant(bookingStart),
        accepts_cancellation_policy: document.getElementById("book-policy").checked,
        idempotency_key: "calendar-" + bookingStart.getTime() + "-" + client,
      };
      if (place.mobile) {
        body.address = {
          street: homeFields.street.value.trim(), unit: homeFields.unit.value.trim(),
          city: homeFields.city.value.trim(), postal_code: homeFields.postal_code.value.trim(),
        };
      }
      const made = await api("POST", "/appointments", body);
      bookDialog.close();
      say(format(text.booked, { client: made.client_name }) + (made.warnings.length ? " " + made.warnings.join(" ") : ""), made.warnings.length ? "warning" : "success");
      reload();
    } catch (error) {
      bookError.textContent = error.message;
    }
  });

  /* An existing visit: check-in, confirmation, checkout, attendance and cancelling. */
  const visitDialog = document.getElementById("visit-dialog");
  const visitError = document.getElementById("visit-error");
  let currentVisit = null;
  let currentStart = null;

  function openVisit(event) {
    const visit = event.extendedProps;
    currentVisit = visit;
    currentStart = event.start;
    visitError.textContent = "";
    document.getElementById("visit-title").textContent = visit.client_name;
    document.getElementById("visit-when").textContent = wallClockText(event.start);
    const place = visit.in_home_address ? format(text.atAddress, { address: visit.in_home_address }) : (visit.room_name ? visit.location_name + " · " + visit.room_name : visit.location_name);
    document.getElementById("visit-detail").textContent = format(text.visitDetail, {
      service: visit.service_name, minutes: visit.minutes, name: visit.therapist_name, place: place,
    });
    const flags = document.getElementById("visit-flags");
    flags.innerHTML = "";
    visit.flags.forEach(function (flag) {
      const item = document.createElement("li");
      const icon = document.createElement("span");
      icon.className = "icon icon-" + flag;
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = setup.icons[flag].symbol;
      item.appendChild(icon);
      item.appendChild(document.createTextNode(" " + setup.icons[flag].label));
      flags.appendChild(item);
    });
    document.getElementById("visit-client-link").href = "/staff/clients/" + visit.client + "/";
    const booked = visit.status === "booked";
    const show = {
      arrived: setup.canBook && booked,
      completed: setup.canBook && (booked || visit.status === "arrived"),
      no_show: setup.canBook && booked,
    };
    visitDialog.querySelectorAll("[data-attendance]").forEach(function (b) { b.hidden = !show[b.dataset.attendance]; });
    document.getElementById("visit-confirm").hidden = !(setup.canBook && booked && !visit.confirmed);
    document.getElementById("visit-cancel").hidden = !(setup.canBook && booked);
    const checkout = document.getElementById("visit-checkout");
    checkout.hidden = !(setup.canCheckOut && (visit.status === "arrived" || visit.status === "completed" || visit.flags.indexOf("unpaid") >= 0));
    checkout.href = "/staff/visits/" + visit.id + "/checkout/";
    visitDialog.showModal();
  }

  async function act(path, body, done) {
    visitError.textContent = "";
    try {
      await api("POST", "/appointments/" + currentVisit.id + path, body);
      visitDialog.close();
      say(done, "success");
      reload();
    } catch (error) {
      visitError.textContent = error.message;
    }
  }
  visitDialog.querySelectorAll("[data-attendance]").forEach(function (button) {
    button.addEventListener("click", function () {
      act("/attendance", { status: button.dataset.attendance }, format(text.marked, { client: currentVisit.client_name, status: setup.icons[button.dataset.attendance].label }));
    });
  });
  document.getElementById("visit-confirm").addEventListener("click", function () {
    act("/confirm", null, format(text.confirmed, { client: currentVisit.client_name }));
  });

  const cancelDialog = document.getElementById("cancel-dialog");
  document.getElementById("visit-cancel").addEventListener("click", function () {
    document.getElementById("cancel-summary").textContent = currentVisit.client_name + " — " + wallClockText(currentStart);
    document.getElementById("cancel-reason").value = "";
    document.getElementById("cancel-error").textContent = "";
    document.getElementById("cancel-tell").checked = true;
    document.getElementById("cancel-by-practice").checked = false;
    visitDialog.close();
    cancelDialog.showModal();
  });
  document.getElementById("cancel-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    try {
      await api("POST", "/appointments/" + currentVisit.id + "/cancel", {
        reason: document.getElementById("cancel-reason").value,
        by_practice: document.getElementById("cancel-by-practice").checked,
        tell_client: document.getElementById("cancel-tell").checked,
      });
      cancelDialog.close();
      say(format(text.cancelled, { client: currentVisit.client_name }), "success");
      reload();
    } catch (error) {
      document.getElementById("cancel-error").textContent = error.message;
    }
  });
})();
