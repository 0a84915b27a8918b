// Print what the feedsmith parser reads from an RSS, Atom or JSON Feed file, as JSON.
import { readFileSync } from "node:fs";
import { parseFeed } from "feedsmith";

const { format, feed } = parseFeed(readFileSync(process.argv[2], "utf8"));
const text = (value) => (typeof value === "object" && value !== null ? value.value : value);
const iso = (value) => (value ? new Date(value).toISOString() : null);

const readers = {
  atom: () =>
    feed.entries.map((entry) => ({
      id: entry.id,
      title: text(entry.title),
      url: (entry.links || []).find((link) => !link.rel || link.rel === "alternate").href,
      published: iso(entry.published),
      authors: (entry.authors || []).map((author) => author.name),
      categories: (entry.categories || []).map((category) => category.term),
      content: text(entry.content),
    })),
  rss: () =>
    feed.items.map((item) => ({
      id: text(item.guid),
      title: item.title,
      url: item.link,
      published: iso(item.pubDate),
      authors: item.dc?.creators || [],
      categories: (item.categories || []).map((category) => text(category.name ?? category)),
      content: item.content?.encoded,
    })),
  json: () =>
    feed.items.map((item) => ({
      id: item.id,
      title: item.title,
      url: item.url,
      published: iso(item.date_published),
      authors: (item.authors || []).map((author) => author.name),
      categories: item.tags || [],
      content: item.content_html,
    })),
};
const items = readers[format]();
console.log(JSON.stringify({ format, title: text(feed.title), items }));
