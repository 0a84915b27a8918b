// Print what the feedsmith parser reads of an archived feed's document: its entries'
// ids and its prev-archive link (JSON Feed: next_url), as JSON.
import { readFileSync } from "node:fs";
import { parseFeed } from "feedsmith";

const { format, feed } = parseFeed(readFileSync(process.argv[2], "utf8"));
const text = (value) => (typeof value === "object" && value !== null ? value.value : value);
const older = (links) => (links || []).find((link) => link.rel === "prev-archive")?.href ?? null;
const read = {
  atom: () => ({ ids: feed.entries.map((entry) => entry.id), older: older(feed.links) }),
  rss: () => ({ ids: feed.items.map((item) => text(item.guid)), older: older(feed.atom?.links) }),
  json: () => ({ ids: feed.items.map((item) => item.id), older: feed.next_url ?? null }),
};
console.log(JSON.stringify({ format, ...read[format]() }));
