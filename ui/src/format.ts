export function bytes(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return "";
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** "PDF", "Word", "text", ... from a media type. */
export function kind(mediaType: string | undefined): string {
  if (!mediaType) return "";
  const t = mediaType.toLowerCase();
  const known: Record<string, string> = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-excel": "Excel",
    "application/epub+zip": "EPUB",
    "application/rtf": "RTF",
    "text/html": "HTML",
    "text/markdown": "Markdown",
    "text/plain": "Text",
    "text/vtt": "Captions",
    "application/x-subrip": "Captions",
    "message/rfc822": "E-mail",
    "message/x-emlx": "E-mail",
    "application/vnd.ms-outlook": "Outlook message",
    "application/json": "JSON",
    "application/x-ipynb+json": "Notebook",
  };
  if (known[t]) return known[t];
  if (t.startsWith("image/")) return "Image";
  if (t.startsWith("audio/")) return "Audio";
  if (t.startsWith("video/")) return "Video";
  if (t.includes("opendocument")) return "OpenDocument";
  return t.split("/")[1] ?? t;
}

export function date(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
