// Fetches calendar feeds over HTTP, as a subscribing calendar app does, and
// reads them with Mozilla's ical.js (the parser inside Thunderbird); prints
// what it understood as JSON for tests/test_publish_feeds.py.
//
// Usage: node read_feed.mjs URL [URL ...]
import ICAL from "ical.js";

async function readFeed(url) {
  const response = await fetch(url);
  const source = await response.text();
  const vcalendar = new ICAL.Component(ICAL.parse(source));
  for (const vtimezone of vcalendar.getAllSubcomponents("vtimezone")) {
    const tzid = vtimezone.getFirstPropertyValue("tzid");
    if (ICAL.TimezoneService.has(tzid)) {
      ICAL.TimezoneService.remove(tzid);
    }
    ICAL.TimezoneService.register(vtimezone);
  }
  const events = vcalendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(new ICAL.Component(vevent.toJSON()));
    const tzid = vevent.getFirstProperty("dtstart").getParameter("tzid");
    return {
      uid: event.uid,
      sequence: event.sequence,
      summary: event.summary,
      resolved: tzid !== null && event.startDate.zone !== null && event.startDate.zone.tzid === tzid,
      start_utc: event.startDate.toUnixTime(),
    };
  });
  return {
    url,
    status: response.status,
    content_type: response.headers.get("content-type"),
    name: vcalendar.getFirstPropertyValue("name"),
    refresh: String(vcalendar.getFirstPropertyValue("refresh-interval")),
    ttl: String(vcalendar.getFirstPropertyValue("x-published-ttl")),
    events,
  };
}

const out = [];
for (const url of process.argv.slice(2)) {
  out.push(await readFeed(url));
}
process.stdout.write(JSON.stringify(out));
