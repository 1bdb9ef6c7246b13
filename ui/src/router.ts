// Hash routes, so the server only has to serve index.html at "/":
//   #/                      collections
//   #/c/<id>/chat           chat with a collection (also documents, search)
import { useEffect, useState } from "preact/hooks";

export type Tab = "chat" | "documents" | "search";
export type Route = { page: "home" } | { page: "collection"; id: string; tab: Tab };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "c" && parts[1]) {
    const tab = parts[2] === "documents" || parts[2] === "search" ? parts[2] : "chat";
    return { page: "collection", id: parts[1], tab };
  }
  return { page: "home" };
}

export function href(route: Route): string {
  return route.page === "home" ? "#/" : `#/c/${encodeURIComponent(route.id)}/${route.tab}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}

export function go(route: Route) {
  location.hash = href(route);
}
