// The summit's web page: the timetable of a day (rooms × time, in the
// event's local time), a person's itinerary, and the statements feed, live.
// It uses only the gateway's public HTTP/JSON API, from the same origin.
//
// Every piece of data reaches the page through textContent or an attribute,
// never through innerHTML: nothing a backend returns is read as markup.
'use strict';

(() => {
  const params = new URLSearchParams(window.location.search);
  const EVENT_ID = params.get('event') || 'udib-2023';
  const EVENT = `events/${EVENT_ID}`;
  const TOKEN_KEY = 'summit.token';
  const AWAY = '';  // the column of sessions held away from the venue's rooms
  const REQUEST_TIMEOUT_MS = 20000;
  const MINUTES_PER_DAY = 24 * 60;

  const state = {
    event: null,        // registry Event, from the overview
    day: null,          // 'YYYY-MM-DD' shown in the timetable
    rooms: [],          // scheduling Rooms of the event
    sessions: [],       // SessionSummaries of the day
    delegations: [],    // DelegationSummaries
    timetableLoads: 0,  // drops answers to superseded requests
    briefingLoads: 0,
    feedStarted: false,
  };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------------------
  // Building elements: text only.

  function el(tag, options = {}, children = []) {
    const node = document.createElement(tag);
    if (options.className) node.className = options.className;
    if (options.text !== undefined) node.textContent = options.text;
    if (options.attrs) {
      for (const [name, value] of Object.entries(options.attrs)) {
        if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
      }
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function setStatus(node, text, isError = false) {
    node.textContent = text;
    node.classList.toggle('status-error', isError);
  }

  // ---------------------------------------------------------------------------
  // Calling the API.

  function token() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (e) {
      return '';
    }
  }

  // A resource name as a URL path: each segment escaped, the slashes kept.
  function namePath(name) {
    return name.split('/').map(encodeURIComponent).join('/');
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function getJson(path) {
    const headers = { accept: 'application/json' };
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    let response;
    try {
      response = await fetch(path, { headers, signal: controller.signal, cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, controller.signal.aborted ? 'the server took too long to answer'
                                                      : 'the server could not be reached');
    } finally {
      clearTimeout(timer);
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const message = body && typeof body.message === 'string' && body.message
        ? body.message : `HTTP ${response.status}`;
      throw new ApiError(response.status, message);
    }
    return body || {};
  }

  function describeError(error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403) && token()) {
      return `${error.message} (check the token under Access, or forget it)`;
    }
    return error && error.message ? error.message : String(error);
  }

  // ---------------------------------------------------------------------------
  // Dates and times. The backends give local dates and times of day in the
  // event's time zone; only timestamps (publish times) are converted here.

  const pad2 = (n) => String(n).padStart(2, '0');

  function dateKey(date) {
    if (!date) return '';
    return `${String(date.year || 0).padStart(4, '0')}-${pad2(date.month || 0)}-${pad2(date.day || 0)}`;
  }

  function parseDateKey(key) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key || '');
    if (!match) return null;
    return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  }

  function utcOf(date) {
    return new Date(Date.UTC(date.year, date.month - 1, date.day));
  }

  function eventDays(event) {
    const days = [];
    if (!event || !event.startDate || !event.endDate) return days;
    const last = utcOf(event.endDate).getTime();
    for (let t = utcOf(event.startDate).getTime(); t <= last && days.length < 366; t += 86400000) {
      const d = new Date(t);
      days.push(dateKey({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }));
    }
    return days;
  }

  function formatDay(key, style = 'long') {
    const date = parseDateKey(key);
    if (!date) return key;
    const options = style === 'long'
      ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }
      : { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' };
    return new Intl.DateTimeFormat('en-GB', options).format(utcOf(date));
  }

  function minutesOf(timeOfDay) {
    if (!timeOfDay) return 0;
    return (timeOfDay.hours || 0) * 60 + (timeOfDay.minutes || 0);
  }

  function formatMinutes(minutes) {
    return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
  }

  function eventTimeZone() {
    return (state.event && state.event.timeZone) || 'UTC';
  }

  function formatInstant(rfc3339) {
    const date = new Date(rfc3339);
    if (Number.isNaN(date.getTime())) return '';
    try {
      return new Intl.DateTimeFormat('en-GB', {
        day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
        hour12: false, timeZone: eventTimeZone(),
      }).format(date);
    } catch (e) {
      return date.toISOString();
    }
  }

  function localPlace() {
    return state.event && state.event.city ? `${state.event.city} time` : 'local time';
  }

  // ---------------------------------------------------------------------------
  // Labels for enumerations.

  const SESSION_KINDS = {
    KIND_PLENARY: 'Plenary', KIND_PANEL: 'Panel', KIND_BILATERAL: 'Bilateral',
    KIND_B2B: 'Business meeting', KIND_SITE_VISIT: 'Site visit',
    KIND_PRESS_CONFERENCE: 'Press conference',
  };
  const ROOM_KINDS = {
    KIND_PLENARY_HALL: 'Plenary hall', KIND_MEETING_ROOM: 'Meeting room', KIND_TABLE: 'Table',
  };
  const ROOM_ORDER = { KIND_PLENARY_HALL: 0, KIND_MEETING_ROOM: 1, KIND_TABLE: 2 };
  const STATEMENT_KINDS = {
    KIND_QUOTE: 'Quote', KIND_PRESS_RELEASE: 'Press release',
    KIND_JOINT_STATEMENT: 'Joint statement', KIND_COMMUNIQUE: 'Communiqué',
    KIND_TRANSCRIPT: 'Transcript',
  };
  const EVENT_KINDS = { KIND_FORUM: 'Forum', KIND_SUMMIT: 'Summit' };

  function languageName(code) {
    try {
      const names = new Intl.DisplayNames(['en'], { type: 'language' });
      const name = names.of(code);
      return name && name !== code ? `${name} (${code})` : code;
    } catch (e) {
      return code;
    }
  }

  function lastSegment(name) {
    const parts = (name || '').split('/');
    return parts[parts.length - 1] || name || '';
  }

  function roomLabel(roomName) {
    if (!roomName) return 'Away';
    const room = state.rooms.find((r) => r.name === roomName);
    return room && room.displayName ? room.displayName : lastSegment(roomName);
  }

  // A counterpart: name, title and, unless the title names it, organization.
  function counterpartLine(person) {
    const line = personLine(person);
    const organization = person.organizationDisplayName;
    return organization && !(person.title || '').includes(organization) ? `${line} (${organization})` : line;
  }

  function personLine(person) {
    const name = person.displayName || lastSegment(person.person);
    return person.title ? `${name}, ${person.title}` : name;
  }

  // ---------------------------------------------------------------------------
  // The event header.

  function renderEvent(event) {
    const title = event.displayName || EVENT_ID;
    $('event-title').textContent = title;
    document.title = `${title} — Summit`;
    const facts = [];
    if (event.kind && EVENT_KINDS[event.kind]) facts.push(EVENT_KINDS[event.kind]);
    if (event.city) facts.push(event.city);
    const days = eventDays(event);
    if (days.length) {
      facts.push(days.length === 1 ? formatDay(days[0])
                                   : `${formatDay(days[0])} – ${formatDay(days[days.length - 1])}`);
    }
    if (event.timeZone) facts.push(`times in ${event.timeZone}`);
    $('event-facts').textContent = facts.join(' · ');
  }

  function renderDays(event) {
    const select = $('day');
    const days = eventDays(event);
    if (state.day && !days.includes(state.day)) days.push(state.day);
    select.replaceChildren(...days.map((key) => el('option', {
      text: formatDay(key), attrs: { value: key, selected: key === state.day },
    })));
    select.value = state.day;
    select.disabled = days.length < 2;
  }

  // ---------------------------------------------------------------------------
  // The timetable: a table whose columns are rooms (and "Away" for site
  // visits without a room) and whose rows run from one session boundary to
  // the next; a session spans the rows it lasts. Sessions that overlap in one
  // column get lanes of their own side by side.

  function placedSessions() {
    return state.sessions
      .filter((summary) => summary.session && (!summary.localDate || dateKey(summary.localDate) === state.day))
      .map((summary) => {
        const start = minutesOf(summary.localStartTime);
        let end = minutesOf(summary.localEndTime);
        if (end < start) end = MINUTES_PER_DAY;  // ends after midnight
        if (end === start) end = Math.min(start + 15, MINUTES_PER_DAY);
        return { summary, start, end, column: summary.session.room || AWAY };
      });
  }

  function orderedRooms() {
    const collator = new Intl.Collator('en', { numeric: true });
    return [...state.rooms].sort((a, b) => {
      const ka = ROOM_ORDER[a.kind] ?? 3;
      const kb = ROOM_ORDER[b.kind] ?? 3;
      return ka - kb || collator.compare(a.displayName || a.name, b.displayName || b.name);
    });
  }

  function timetableColumns(items, showEmpty) {
    const used = new Set(items.map((item) => item.column));
    const columns = [];
    for (const room of orderedRooms()) {
      if (showEmpty || used.has(room.name)) columns.push({ key: room.name, room });
    }
    // Rooms the sessions name that the room list did not give.
    for (const key of used) {
      if (key !== AWAY && !columns.some((c) => c.key === key)) columns.push({ key, room: null });
    }
    if (showEmpty || used.has(AWAY)) columns.push({ key: AWAY, room: null });
    return columns;
  }

  function assignLanes(items) {
    const lanes = [];  // end minute of the last session of each lane
    for (const item of [...items].sort((a, b) => a.start - b.start || a.end - b.end)) {
      let lane = lanes.findIndex((end) => end <= item.start);
      if (lane < 0) {
        lane = lanes.length;
        lanes.push(0);
      }
      lanes[lane] = item.end;
      item.lane = lane;
    }
    return Math.max(1, lanes.length);
  }

  function sessionCell(item, headers, rows) {
    const { summary } = item;
    const session = summary.session;
    const classes = ['session', `session-${(session.kind || 'KIND_UNSPECIFIED').toLowerCase().replace(/_/g, '-')}`];
    if (session.state === 'STATE_CANCELLED') classes.push('session-cancelled');
    if (session.state === 'STATE_TENTATIVE') classes.push('session-tentative');
    const meta = [];
    if (SESSION_KINDS[session.kind]) meta.push(SESSION_KINDS[session.kind]);
    if (session.visibility === 'VISIBILITY_PRIVATE') meta.push('Private');
    if (session.state === 'STATE_CANCELLED') meta.push('Cancelled');
    if (session.state === 'STATE_TENTATIVE') meta.push('Tentative');
    const people = summary.participants || [];
    let who = null;
    if (people.length) {
      const names = people.slice(0, 3).map((p) => p.displayName || lastSegment(p.person));
      const more = people.length - names.length;
      who = el('p', { className: 'session-people', text: more > 0 ? `${names.join(', ')} and ${more} more` : names.join(', ') });
    }
    const card = el('div', { className: classes.join(' ') }, [
      el('p', { className: 'session-time' }, [
        el('time', { text: formatMinutes(item.start), attrs: { datetime: `${state.day}T${formatMinutes(item.start)}` } }),
        '–',
        el('time', { text: formatMinutes(item.end % MINUTES_PER_DAY), attrs: { datetime: formatMinutes(item.end % MINUTES_PER_DAY) } }),
      ]),
      el('p', { className: 'session-title', text: session.title || lastSegment(session.name) }),
      meta.length ? el('p', { className: 'session-meta', text: meta.join(' · ') }) : null,
      session.location ? el('p', { className: 'session-location', text: session.location }) : null,
      who,
    ]);
    return el('td', {
      className: 'slot slot-busy',
      attrs: { rowspan: rows > 1 ? rows : undefined, headers, 'data-session': session.name },
    }, [card]);
  }

  function renderTimetable() {
    const container = $('grid-scroll');
    const status = $('timetable-status');
    const items = placedSessions();
    const showEmpty = $('show-empty-rooms').checked;
    container.replaceChildren();
    if (!items.length) {
      setStatus(status, `No sessions you may see on ${formatDay(state.day)}.${token() ? '' : ' Private sessions need a token (see Access).'}`);
      container.hidden = true;
      return;
    }
    container.hidden = false;

    const columns = timetableColumns(items, showEmpty);
    const byColumn = new Map(columns.map((c) => [c.key, []]));
    for (const item of items) byColumn.get(item.column).push(item);
    const laneCounts = columns.map((c) => assignLanes(byColumn.get(c.key)));

    const boundaries = [...new Set(items.flatMap((item) => [item.start, item.end]))].sort((a, b) => a - b);
    const rowOf = new Map(boundaries.map((minute, index) => [minute, index]));
    const rowCount = boundaries.length - 1;

    // cells[column][lane][row]: the item starting there, 'covered', or null.
    const cells = columns.map((c, ci) => Array.from({ length: laneCounts[ci] }, () => new Array(rowCount).fill(null)));
    columns.forEach((c, ci) => {
      for (const item of byColumn.get(c.key)) {
        const first = rowOf.get(item.start);
        const last = rowOf.get(item.end);
        cells[ci][item.lane][first] = item;
        for (let r = first + 1; r < last; r++) cells[ci][item.lane][r] = 'covered';
      }
    });

    const table = el('table', { className: 'timetable' });
    table.append(el('caption', {
      text: `Sessions on ${formatDay(state.day)}, ${localPlace()}${state.event && state.event.timeZone ? ` (${state.event.timeZone})` : ''}`,
    }));
    const headRow = el('tr', {}, [el('th', { className: 'time-head', text: 'Time', attrs: { scope: 'col', id: 'tt-time' } })]);
    columns.forEach((column, ci) => {
      const label = column.key === AWAY ? 'Away' : (column.room && column.room.displayName) || lastSegment(column.key);
      const detail = column.key === AWAY ? 'Site visits and other places'
        : column.room ? [ROOM_KINDS[column.room.kind], column.room.capacity ? `${column.room.capacity} seats` : ''].filter(Boolean).join(', ') : '';
      headRow.append(el('th', {
        className: column.key === AWAY ? 'room-head room-away' : 'room-head',
        attrs: { scope: 'col', colspan: laneCounts[ci] > 1 ? laneCounts[ci] : undefined, id: `tt-col-${ci}`, 'data-room': column.key || 'away' },
      }, [el('span', { className: 'room-name', text: label }), detail ? el('span', { className: 'room-detail', text: detail }) : null]));
    });
    table.append(el('thead', {}, [headRow]));

    const body = el('tbody');
    for (let r = 0; r < rowCount; r++) {
      const busy = columns.some((c, ci) => cells[ci].some((lane) => lane[r] !== null));
      const row = el('tr', { className: busy ? '' : 'gap' }, [
        el('th', { className: 'time', attrs: { scope: 'row', id: `tt-row-${r}` } }, [
          el('time', { text: formatMinutes(boundaries[r]), attrs: { datetime: `${state.day}T${formatMinutes(boundaries[r])}` } }),
        ]),
      ]);
      columns.forEach((c, ci) => {
        for (const lane of cells[ci]) {
          const cell = lane[r];
          if (cell === 'covered') continue;
          if (cell === null) {
            row.append(el('td', { className: 'slot', attrs: { headers: `tt-col-${ci} tt-row-${r}` } }));
          } else {
            row.append(sessionCell(cell, `tt-col-${ci} tt-row-${r}`, rowOf.get(cell.end) - r));
          }
        }
      });
      body.append(row);
    }
    table.append(body);
    container.append(table);
    const count = items.length;
    setStatus(status, `${count} session${count === 1 ? '' : 's'} on ${formatDay(state.day)}, times in ${localPlace()}.${token() ? '' : ' Private sessions need a token (see Access).'}`);
  }

  async function loadTimetable() {
    const load = ++state.timetableLoads;
    const status = $('timetable-status');
    setStatus(status, 'Loading…');
    const day = parseDateKey(state.day);
    const query = day ? `?day.year=${day.year}&day.month=${day.month}&day.day=${day.day}` : '';
    const overviewCall = getJson(`/v1/${namePath(EVENT)}:overview${query}`);
    const roomsCall = state.rooms.length ? Promise.resolve(state.rooms) : loadRooms();
    let overview;
    try {
      overview = await overviewCall;
    } catch (error) {
      if (load !== state.timetableLoads) return;
      if (!state.event) $('event-title').textContent = `Event ${EVENT_ID}`;
      setStatus(status, `The timetable could not be loaded: ${describeError(error)}`, true);
      $('grid-scroll').replaceChildren();
      return;
    }
    let rooms = [];
    try {
      rooms = await roomsCall;
    } catch (error) {
      rooms = [];  // the columns then come from the sessions' room names
    }
    if (load !== state.timetableLoads) return;
    state.rooms = rooms;
    state.event = overview.event || state.event;
    state.day = dateKey(overview.day) || state.day;
    state.sessions = overview.sessions || [];
    state.delegations = overview.delegations || [];
    if (state.event) {
      renderEvent(state.event);
      renderDays(state.event);
    }
    renderPeople();
    if (overview.sessionsError && overview.sessionsError.code) {
      setStatus(status, `The sessions could not be loaded: ${overview.sessionsError.message || 'error'}`, true);
      $('grid-scroll').replaceChildren();
    } else {
      renderTimetable();
    }
  }

  async function loadRooms() {
    const rooms = [];
    let pageToken = '';
    for (let page = 0; page < 20; page++) {
      const query = `?pageSize=1000${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
      const answer = await getJson(`/v1/${namePath(EVENT)}/rooms${query}`);
      rooms.push(...(answer.rooms || []));
      pageToken = answer.nextPageToken || '';
      if (!pageToken) break;
    }
    return rooms;
  }

  // ---------------------------------------------------------------------------
  // A person's itinerary.

  function renderPeople() {
    const select = $('person');
    const chosen = select.value || params.get('person') || '';
    const groups = state.delegations.map((summary) => {
      const delegation = summary.delegation || {};
      return el('optgroup', { attrs: { label: delegation.displayName || lastSegment(delegation.name) } },
        (summary.members || []).map((member) => el('option', {
          text: personLine(member), attrs: { value: member.person },
        })));
    });
    select.replaceChildren(el('option', { text: 'Choose a person…', attrs: { value: '' } }), ...groups);
    const values = [...select.options].map((o) => o.value);
    select.value = values.includes(chosen) ? chosen : '';
    select.disabled = !groups.length;
  }

  async function loadBriefing() {
    const person = $('person').value;
    const load = ++state.briefingLoads;
    const status = $('itinerary-status');
    const target = $('briefing');
    if (!person) {
      target.replaceChildren();
      setStatus(status, '');
      return;
    }
    setStatus(status, 'Loading…');
    let briefing;
    try {
      briefing = await getJson(`/v1/${namePath(person)}:briefing?event=${encodeURIComponent(EVENT)}`);
    } catch (error) {
      if (load !== state.briefingLoads) return;
      target.replaceChildren();
      setStatus(status, `The itinerary could not be loaded: ${describeError(error)}`, true);
      return;
    }
    if (load !== state.briefingLoads) return;
    renderBriefing(briefing, person);
  }

  function renderBriefing(briefing, personName) {
    const status = $('itinerary-status');
    const target = $('briefing');
    const person = briefing.person || {};
    const organization = briefing.organization || {};
    const itinerary = briefing.itinerary || [];
    const header = el('div', { className: 'person' }, [
      el('h3', { attrs: { id: 'briefing-heading' } }, [
        document.createTextNode(person.displayName || lastSegment(personName)),
        person.nativeName ? el('span', { className: 'native-name', text: ` ${person.nativeName}` }) : null,
      ]),
      el('p', { className: 'person-title', text: [person.title, organization.displayName].filter(Boolean).join(' · ') }),
    ]);
    // One list a day, in the event's local time.
    const days = new Map();
    for (const summary of itinerary) {
      const session = summary.session || {};
      const start = minutesOf(summary.localStartTime);
      const end = minutesOf(summary.localEndTime);
      const day = dateKey(summary.localDate);
      const counterparts = (summary.participants || []).filter((p) => p.person !== personName);
      const where = session.room ? roomLabel(session.room) : (session.location || 'Away');
      const meta = [SESSION_KINDS[session.kind], where];
      if (session.visibility === 'VISIBILITY_PRIVATE') meta.push('Private');
      if (session.state === 'STATE_CANCELLED') meta.push('Cancelled');
      if (!days.has(day)) days.set(day, []);
      days.get(day).push(el('li', { className: 'itinerary-item', attrs: { 'data-session': session.name } }, [
        el('p', { className: 'itinerary-when' }, [
          el('time', { text: formatMinutes(start), attrs: { datetime: `${day}T${formatMinutes(start)}` } }),
          '–',
          el('time', { text: formatMinutes(end), attrs: { datetime: formatMinutes(end) } }),
        ]),
        el('p', { className: 'itinerary-title', text: session.title || lastSegment(session.name) }),
        el('p', { className: 'itinerary-meta', text: meta.filter(Boolean).join(' · ') }),
        counterparts.length
          ? el('ul', { className: 'counterparts', attrs: { 'aria-label': 'With' } },
            counterparts.map((p) => el('li', { text: counterpartLine(p) })))
          : null,
      ]));
    }
    const parts = [header];
    if (briefing.itineraryError && briefing.itineraryError.code) {
      parts.push(el('p', { className: 'status status-error', text: `The itinerary could not be loaded: ${briefing.itineraryError.message || 'error'}` }));
    } else if (!itinerary.length) {
      parts.push(el('p', { text: `No sessions you may see for ${person.displayName || 'this person'} at this event.` }));
    } else {
      let n = 0;
      for (const [day, items] of days) {
        const id = `briefing-day-${n++}`;
        parts.push(el('h4', { text: `${formatDay(day)}, ${localPlace()}`, attrs: { id } }),
                   el('ol', { className: 'itinerary', attrs: { 'aria-labelledby': id } }, items));
      }
    }
    target.replaceChildren(...parts);
    setStatus(status, `${itinerary.length} session${itinerary.length === 1 ? '' : 's'} for ${person.displayName || lastSegment(personName)}.`);
  }

  // ---------------------------------------------------------------------------
  // The statements feed (Server-Sent Events). One entry per statement, newest
  // first; a correction or a retraction updates the entry in place.
  // EventSource resumes by itself with Last-Event-ID; when it gives up (the
  // server answered an error), the page starts again after the last event it
  // saw.

  const feed = { source: null, lastEventId: '', retryMs: 2000, entries: new Map() };

  function startFeed() {
    const base = `/v1/${namePath(EVENT)}/statements:watch`;
    const url = feed.lastEventId ? `${base}?resumeToken=${encodeURIComponent(feed.lastEventId)}` : `${base}?fromBeginning=true`;
    const source = new EventSource(url);
    feed.source = source;
    const status = $('feed-status');
    source.addEventListener('open', () => {
      feed.retryMs = 2000;
      setStatus(status, 'Live: statements appear here as they are published.');
    });
    source.addEventListener('message', (message) => {
      if (message.lastEventId) feed.lastEventId = message.lastEventId;
      let change;
      try {
        change = JSON.parse(message.data);
      } catch (e) {
        return;
      }
      applyStatementEvent(change);
    });
    source.addEventListener('error', (message) => {
      if (message.data) {  // the gateway's "event: error" with a google.rpc.Status
        let text = 'the feed failed';
        try {
          text = JSON.parse(message.data).message || text;
        } catch (e) { /* keep the default */ }
        setStatus(status, `Feed interrupted: ${text}. Reconnecting…`, true);
        return;
      }
      if (source.readyState === EventSource.CLOSED) {
        setStatus(status, `The feed is unavailable; trying again in ${Math.round(feed.retryMs / 1000)} s.`, true);
        const wait = feed.retryMs;
        feed.retryMs = Math.min(feed.retryMs * 2, 60000);
        setTimeout(() => {
          if (feed.source === source) startFeed();
        }, wait);
      } else {
        setStatus(status, 'Connection lost; reconnecting…', true);
      }
    });
  }

  function applyStatementEvent(change) {
    const statement = change && change.statement;
    if (!statement || !statement.name) return;
    let entry = feed.entries.get(statement.name);
    if (!entry) {
      entry = el('li', { className: 'statement', attrs: { 'data-statement': statement.name } });
      feed.entries.set(statement.name, entry);
      $('feed').prepend(entry);
    }
    renderStatement(entry, statement, change.kind);
  }

  function delegationLabel(name) {
    const found = state.delegations.find((d) => d.delegation && d.delegation.name === name);
    return found && found.delegation.displayName ? found.delegation.displayName : lastSegment(name);
  }

  function paragraphs(text) {
    return (text || '').split(/\n\s*\n/).filter((p) => p.trim()).map((p) => el('p', { text: p.trim() }));
  }

  function renderStatement(entry, statement, changeKind) {
    const headingId = `statement-${lastSegment(statement.name)}`;
    const retracted = statement.state === 'STATE_RETRACTED';
    entry.classList.toggle('statement-retracted', retracted);
    entry.classList.toggle('statement-corrected', Boolean(statement.correctionNote));
    entry.dataset.change = changeKind || '';

    const meta = [STATEMENT_KINDS[statement.kind] || 'Statement'];
    // When it was said or issued; when Summit published it only if no one said.
    const when = statement.saidTime || statement.publishTime;
    const time = when
      ? el('time', { text: formatInstant(when), attrs: { datetime: when } }) : null;
    const speakers = (statement.provenance && statement.provenance.length)
      ? statement.provenance.map((p) => (p.title ? `${p.displayName || lastSegment(p.person)}, ${p.title}` : p.displayName || lastSegment(p.person)))
      : (statement.speakers || []).map(lastSegment);
    const signatories = (statement.signatories || []).map(delegationLabel);

    const bodies = statement.bodies || [];
    const original = bodies.find((b) => b.original) || bodies[0];
    const others = bodies.filter((b) => b !== original);

    const article = el('article', { attrs: { 'aria-labelledby': headingId } }, [
      el('h3', { attrs: { id: headingId } }, [
        retracted ? el('span', { className: 'badge badge-retracted', text: 'Retracted' }) : null,
        statement.correctionNote ? el('span', { className: 'badge badge-corrected', text: 'Corrected' }) : null,
        el('span', { className: 'statement-title', text: statement.title || lastSegment(statement.name) }),
      ]),
      el('p', { className: 'statement-meta' }, [
        meta.join(' · '),
        time ? ' · ' : null,
        time,
        time ? ` (${localPlace()})` : null,
      ]),
      speakers.length ? el('p', { className: 'statement-speakers', text: speakers.join('; ') }) : null,
      signatories.length ? el('p', { className: 'statement-speakers', text: `Signed by ${signatories.join(' and ')}` }) : null,
      retracted ? el('p', { className: 'notice notice-retracted' }, [
        el('strong', { text: 'Retracted: ' }), statement.retractionReason || 'no reason given',
      ]) : null,
      statement.correctionNote ? el('p', { className: 'notice notice-corrected' }, [
        el('strong', { text: 'Corrected: ' }), statement.correctionNote,
      ]) : null,
      statement.embargoed ? el('p', { className: 'notice', text: 'Under embargo: not public yet.' }) : null,
      original ? el('blockquote', { className: 'statement-body', attrs: { lang: original.languageCode || undefined } }, paragraphs(original.text)) : null,
      others.length ? el('details', { className: 'translations' }, [
        el('summary', { text: `Also in ${others.map((b) => languageName(b.languageCode)).join(', ')}` }),
        ...others.map((b) => el('blockquote', { className: 'statement-body', attrs: { lang: b.languageCode || undefined } }, paragraphs(b.text))),
      ]) : null,
    ]);
    entry.replaceChildren(article);
  }

  // ---------------------------------------------------------------------------
  // The token: kept in this tab's sessionStorage, sent as a bearer token.

  function tokenClaims(value) {
    try {
      const payload = value.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const json = decodeURIComponent(Array.from(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')),
        (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
      const claims = JSON.parse(json);
      return claims && typeof claims === 'object' ? claims : null;
    } catch (e) {
      return null;
    }
  }

  function renderTokenStatus() {
    const value = token();
    const status = $('token-status');
    if (!value) {
      setStatus(status, 'No token: you see what the public may see.');
      return;
    }
    const claims = tokenClaims(value);
    if (!claims) {
      setStatus(status, 'A token is in use, but it does not look like a JWT.', true);
      return;
    }
    const parts = ['A token is in use'];
    if (typeof claims.sub === 'string') parts.push(`for ${claims.sub}`);
    if (typeof claims.role === 'string') parts.push(`(role: ${claims.role})`);
    let text = `${parts.join(' ')}.`;
    if (typeof claims.exp === 'number') {
      const expires = new Date(claims.exp * 1000);
      text += expires.getTime() < Date.now() ? ' It has expired.' : ` It expires ${formatInstant(expires.toISOString())} (${localPlace()}).`;
    }
    setStatus(status, text, typeof claims.exp === 'number' && claims.exp * 1000 < Date.now());
  }

  function useToken(value) {
    try {
      if (value) window.sessionStorage.setItem(TOKEN_KEY, value);
      else window.sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) {
      setStatus($('token-status'), 'This browser does not let the page keep a token.', true);
      return;
    }
    renderTokenStatus();
    loadTimetable();
    loadBriefing();
  }

  // ---------------------------------------------------------------------------
  // Wiring.

  function rememberDayInUrl() {
    const url = new URL(window.location.href);
    url.searchParams.set('day', state.day);
    window.history.replaceState(null, '', url);
  }

  async function start() {
    const wanted = params.get('day');
    if (parseDateKey(wanted)) state.day = wanted;
    $('day').addEventListener('change', (e) => {
      state.day = e.target.value;
      rememberDayInUrl();
      loadTimetable();
    });
    $('show-empty-rooms').addEventListener('change', () => renderTimetable());
    $('person').addEventListener('change', () => loadBriefing());
    $('day-form').addEventListener('submit', (e) => e.preventDefault());
    $('person-form').addEventListener('submit', (e) => e.preventDefault());
    $('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const input = $('token');
      const value = input.value.trim().replace(/^Bearer\s+/i, '');
      input.value = '';
      if (value) useToken(value);
    });
    $('forget-token').addEventListener('click', () => useToken(''));
    renderTokenStatus();

    // The feed's times are shown in the event's time zone: read the event
    // first, then listen.
    await loadTimetable();
    startFeed();
    if ($('person').value) loadBriefing();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
