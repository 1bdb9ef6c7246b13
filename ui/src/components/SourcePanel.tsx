import type { Ref } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, describeError, urls, type DocumentInfo, type Highlight, type Locator } from "../api";
import { EPUB, boxOf, clock, locatorLabel, startSeconds } from "../citations";
import { kind } from "../format";
import { downloadWithKey, useAuthedSrc } from "../authedUrl";

/** What the source panel shows: a document, where in it, and the passage quoted there. */
export interface SourceTarget {
  documentId: string;
  filename?: string;
  mediaType?: string;
  locator: Locator | null;
  quote?: string;
  verified?: boolean;
  title: string;
}

type Box = { x: number; y: number; w: number; h: number };
const ZOOMS = [1, 1.5, 2, 3];

export function SourcePanel(props: { target: SourceTarget; onClose: () => void }) {
  const t = props.target;
  const [doc, setDoc] = useState<DocumentInfo | null>(null);
  const [docError, setDocError] = useState<string | null>(null);
  const [page, setPage] = useState<number | undefined>(typeof t.locator?.page === "number" ? t.locator.page : undefined);
  const panel = useRef<HTMLElement>(null);

  useEffect(() => {
    panel.current?.focus();
    let live = true;
    api.document(t.documentId).then(
      (d) => live && setDoc(d),
      (e) => live && setDocError(describeError(e)),
    );
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !document.querySelector("dialog[open]")) props.onClose();
    };
    addEventListener("keydown", onKey);
    return () => {
      live = false;
      removeEventListener("keydown", onKey);
    };
    // The panel is mounted once per target (CollectionPage keys it by the target): this runs once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const mediaType = doc?.mediaType ?? t.mediaType ?? "";
  const citedPage = typeof t.locator?.page === "number" ? t.locator.page : undefined;
  const isPdf = mediaType === "application/pdf";
  const start = startSeconds(t.locator);

  return (
    <aside class="source" aria-label="Source" ref={panel} tabIndex={-1} data-page={page}>
      <header class="source-head">
        <div>
          <h2>{t.title}</h2>
          <p class="muted small">
            {kind(mediaType)}
            {locatorLabel(t.locator, mediaType) && ` · ${locatorLabel(t.locator, mediaType)}`}
            {t.verified === false && <span class="badge bad">unverified</span>}
            {t.verified === true && <span class="badge ok">verified</span>}
          </p>
        </div>
        <button class="button small" onClick={props.onClose} aria-label="Close source panel">
          Close
        </button>
      </header>
      <div class="source-body">
        {docError && <p class="alert error" role="alert">{docError}</p>}
        {!doc && !docError && <p class="muted" role="status">Loading…</p>}
        {doc && isPdf && page !== undefined && (
          <PdfPage
            documentId={t.documentId}
            page={page}
            pageCount={doc.pageCount ?? undefined}
            onPage={setPage}
            box={page === citedPage ? boxOf(t.locator) : undefined}
            quote={page === citedPage ? t.quote : undefined}
          />
        )}
        {doc && mediaType.startsWith("image/") && <ImageSource documentId={t.documentId} box={boxOf(t.locator)} />}
        {doc && (mediaType.startsWith("audio/") || mediaType.startsWith("video/")) && (
          <MediaSource documentId={t.documentId} video={mediaType.startsWith("video/")} start={start} />
        )}
        {t.quote && (
          <figure class="quote">
            <figcaption class="muted small">
              {t.verified === false ? "Quoted passage (not verified against the source)" : "Quoted passage"}
              {citedPage !== undefined && ` · ${mediaType === EPUB ? "section" : "page"} ${citedPage}`}
            </figcaption>
            <blockquote>
              <mark>{readable(t.quote)}</mark>
            </blockquote>
          </figure>
        )}
        {doc && (
          <p>
            <a
              href={urls.content(t.documentId)}
              download={doc.filename}
              onClick={(e) => downloadWithKey(e, urls.content(t.documentId), doc.filename)}
            >
              Download the original file
            </a>
          </p>
        )}
      </div>
    </aside>
  );
}

function PdfPage(props: { documentId: string; page: number; pageCount?: number; onPage: (n: number) => void; box?: Box; quote?: string }) {
  // Which image has loaded and which failed, by URL: a page served from the browser's cache can finish
  // loading before an effect could reset a plain flag.
  const [loadedSrc, setLoadedSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState<{ src: string; message: string } | null>(null);
  const img = useRef<HTMLImageElement>(null);
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const [highlightError, setHighlightError] = useState<string | null>(null);
  const [zoom, setZoom] = useState(1);
  const scroller = useRef<HTMLDivElement>(null);
  const authed = useAuthedSrc(urls.page(props.documentId, props.page));
  const src = authed.src;
  const loaded = src !== undefined && loadedSrc === src;
  const imageError = authed.error ?? (src !== undefined && failed?.src === src ? failed.message : null);

  useEffect(() => {
    const i = img.current;
    if (src && i && i.complete && i.naturalWidth > 0 && i.src.endsWith(src)) setLoadedSrc(src);
  }, [src]);

  useEffect(() => {
    setHighlight(null);
    setHighlightError(null);
    if (props.box || !props.quote) return;
    const c = new AbortController();
    api.highlight(props.documentId, props.page, props.quote, c.signal).then(setHighlight, (e) => {
      if (!c.signal.aborted) setHighlightError(describeError(e));
    });
    return () => c.abort();
  }, [props.documentId, props.page, props.quote, props.box]);

  const boxes: Box[] = props.box ? [props.box] : highlight?.boxes ?? [];

  // Keep the highlighted passage in view when zooming.
  useEffect(() => {
    const view = scroller.current;
    const all = Array.from(view?.querySelectorAll<HTMLElement>(".highlight-box") ?? []);
    if (!view || all.length === 0) return;
    view.scrollTo({
      top: Math.max(0, all[0].offsetTop - view.clientHeight / 3),
      left: Math.max(0, Math.min(...all.map((b) => b.offsetLeft)) - 16),
    });
  }, [zoom, loaded, boxes.length]);

  async function imageFailed() {
    // An <img> cannot read the problem detail; ask again with fetch to show it.
    if (!src) return;
    try {
      const res = await fetch(src);
      const body = await res.json().catch(() => null);
      setFailed({ src, message: body?.detail ?? `The page image could not be loaded (HTTP ${res.status}).` });
    } catch (e) {
      setFailed({ src, message: describeError(e) });
    }
  }

  return (
    <div class="pdf-page">
      <nav class="pager" aria-label="Pages">
        <button class="button small" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)} aria-label="Previous page">
          ‹
        </button>
        <span>
          Page {props.page}
          {props.pageCount ? ` of ${props.pageCount}` : ""}
        </span>
        <button
          class="button small"
          disabled={props.pageCount !== undefined && props.page >= props.pageCount}
          onClick={() => props.onPage(props.page + 1)}
          aria-label="Next page"
        >
          ›
        </button>
        <span class="zoom">
          <button class="button small" disabled={zoom <= ZOOMS[0]} onClick={() => setZoom(ZOOMS[Math.max(0, ZOOMS.indexOf(zoom) - 1)])} aria-label="Zoom out">
            −
          </button>
          <span aria-live="polite">{Math.round(zoom * 100)}%</span>
          <button class="button small" disabled={zoom >= ZOOMS[ZOOMS.length - 1]} onClick={() => setZoom(ZOOMS[Math.min(ZOOMS.length - 1, ZOOMS.indexOf(zoom) + 1)])} aria-label="Zoom in">
            +
          </button>
        </span>
      </nav>
      {imageError ? (
        <p class="alert error" role="alert">{imageError}</p>
      ) : (
        <div class="page-scroll" ref={scroller}>
        <div class={"page-frame" + (loaded ? "" : " loading")} style={{ width: `${zoom * 100}%` }}>
          {!loaded && <p class="muted page-loading" role="status">Rendering page {props.page}…</p>}
          {src && <img
            ref={img}
            src={src}
            data-src={urls.page(props.documentId, props.page)}
            alt={`Page ${props.page} of the document`}
            onLoad={() => setLoadedSrc(src)}
            onError={imageFailed}
          />}
          {loaded &&
            boxes.map((b, i) => (
              <div
                key={i}
                class="highlight-box"
                style={{ left: `${b.x * 100}%`, top: `${b.y * 100}%`, width: `${b.w * 100}%`, height: `${b.h * 100}%` }}
              />
            ))}
        </div>
        </div>
      )}
      {props.quote && !props.box && (
        <p class="muted small" role="status">
          {highlightError
            ? `The quote could not be located on the page image: ${highlightError}`
            : highlight === null
              ? "Locating the quote on the page…"
              : highlight.found
                ? `The quoted passage is highlighted on page ${props.page}.`
                : "The quote could not be located on the page image; it is shown below."}
        </p>
      )}
    </div>
  );
}

function ImageSource(props: { documentId: string; box?: Box }) {
  const authed = useAuthedSrc(urls.content(props.documentId));
  if (authed.error) return <p class="alert error" role="alert">{authed.error}</p>;
  return (
    <div class="page-frame">
      {authed.src && <img src={authed.src} alt="The cited image" />}
      {props.box && (
        <div class="highlight-box" style={{ left: `${props.box.x * 100}%`, top: `${props.box.y * 100}%`, width: `${props.box.w * 100}%`, height: `${props.box.h * 100}%` }} />
      )}
    </div>
  );
}

function MediaSource(props: { documentId: string; video: boolean; start?: number }) {
  const ref = useRef<HTMLMediaElement>(null);
  const authed = useAuthedSrc(urls.content(props.documentId));
  useEffect(() => {
    const m = ref.current;
    if (!m || props.start === undefined) return;
    const seek = () => {
      m.currentTime = props.start!;
    };
    if (m.readyState >= 1) seek();
    else m.addEventListener("loadedmetadata", seek, { once: true });
  }, [props.start, authed.src]);
  if (authed.error) return <p class="alert error" role="alert">{authed.error}</p>;
  return (
    <div class="media">
      {authed.src &&
        (props.video ? (
          <video ref={ref as Ref<HTMLVideoElement>} controls preload="metadata" src={authed.src} />
        ) : (
          <audio ref={ref as Ref<HTMLAudioElement>} controls preload="metadata" src={authed.src} />
        ))}
      {props.start !== undefined && <p class="muted small">Starts at the cited second: {clock(props.start)}</p>}
    </div>
  );
}

/**
 * A quote as people read it: words hyphenated across line ends joined ("Spi-\nderMonkey" → "SpiderMonkey") and
 * whitespace runs made single spaces. The highlight on the page still uses the exact quote.
 */
export function readable(quote: string): string {
  return quote.replace(/(\p{L})-[ \t]*\r?\n\s*(\p{Ll})/gu, "$1$2").replace(/\s+/g, " ").trim();
}
