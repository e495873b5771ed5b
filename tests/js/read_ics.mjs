// Reads .ics files with Mozilla's ical.js (the parser inside Thunderbird) and
// prints what it understood as JSON, for tests/test_ics.py to compare with the plan.
//
// Usage: node read_ics.mjs FILE.ics [FILE.ics ...]
//
// Only the VTIMEZONEs in each file are registered (ical.js ships no time zone
// data of its own besides UTC), so an event's UTC start and end are computed
// from the file's VTIMEZONE, as Thunderbird computes them. A TZID without a
// VTIMEZONE is reported (resolved: false) instead of silently read as floating.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function text(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null ? null : String(value);
}

function readFile(path) {
  const source = readFileSync(path, "utf8");
  const vcalendar = new ICAL.Component(ICAL.parse(source));
  const timezones = [];
  for (const vtimezone of vcalendar.getAllSubcomponents("vtimezone")) {
    const tzid = vtimezone.getFirstPropertyValue("tzid");
    if (ICAL.TimezoneService.has(tzid)) {
      ICAL.TimezoneService.remove(tzid); // a previous file's zone
    }
    ICAL.TimezoneService.register(vtimezone);
    timezones.push(tzid);
  }
  const events = vcalendar.getAllSubcomponents("vevent").map((vevent) => {
    // Built after the zones are registered, so TZIDs resolve to them.
    const event = new ICAL.Event(new ICAL.Component(vevent.toJSON()));
    const start = event.startDate;
    const end = event.endDate;
    const tzid = vevent.getFirstProperty("dtstart").getParameter("tzid");
    return {
      uid: event.uid,
      sequence: event.sequence,
      dtstamp: text(vevent, "dtstamp"),
      summary: event.summary,
      location: event.location,
      description: event.description,
      categories: vevent.getAllProperties("categories").flatMap((p) => p.getValues()),
      geo: vevent.getFirstPropertyValue("geo"),
      tzid,
      resolved: tzid !== null && start.zone !== null && start.zone.tzid === tzid,
      start_utc: start.toUnixTime(),
      end_utc: end.toUnixTime(),
      attendees: vevent.getAllProperties("attendee").length,
      organizers: vevent.getAllProperties("organizer").length,
    };
  });
  return {
    file: path,
    version: text(vcalendar, "version"),
    prodid: text(vcalendar, "prodid"),
    method: text(vcalendar, "method"),
    name: text(vcalendar, "name"),
    calname: text(vcalendar, "x-wr-calname"),
    refresh: text(vcalendar, "refresh-interval"),
    ttl: text(vcalendar, "x-published-ttl"),
    timezones,
    events,
  };
}

const out = process.argv.slice(2).map(readFile);
process.stdout.write(JSON.stringify(out));
