package dev.omnirag.server.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.tika.parser.html.DefaultHtmlMapper;
import org.apache.tika.parser.html.HtmlMapper;
import org.apache.tika.sax.ContentHandlerDecorator;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.AttributesImpl;

/**
 * A web page's text without its site furniture, by the page's own markup (HTML's landmarks), never by guessing from
 * words or link density: a saved page's menus, banner, footer and sidebars are the same on every page of a site, and
 * indexed they filled each page's first chunk with "Home | Products | About us" and made every page match every search
 * for the site's name.
 *
 * <ul>
 *   <li>left out wherever they are: {@code <nav>} and {@code role="navigation"} or {@code "search"}, form controls
 *       ({@code <select>}'s options, {@code <button>}), {@code <template>}, {@code <noscript>}; what the page hides
 *       stays ({@code hidden}, {@code aria-hidden}: the answers of a collapsed FAQ, a closed accordion's panels);
 *   <li>left out outside the page's content (an {@code <article>}, {@code <main>} or {@code <section>}): {@code
 *       <header>}, {@code <footer>}, {@code <aside>} and their roles ({@code banner}, {@code contentinfo}, {@code
 *       complementary}); inside it they are the article's own heading, byline or notes and stay;
 *   <li>when the page marks its dominant content ({@code <main>} or {@code role="main"}, as HTML defines it), only that
 *       is kept.
 * </ul>
 *
 * A page without such markup is read whole, as before, and so is one whose main is empty (filled by a script in a
 * browser) or holds less than a quarter of the text outside it. Wraps the handler that collects the text, for one
 * parse; its events are held until the end, at most {@code maxHeldChars} characters of text and 200,000 events
 * (past that the page is read whole). Not thread safe; the {@link #MAPPER} is.
 */
final class HtmlLandmarks extends ContentHandlerDecorator {

    /** The media types read as web pages. */
    private static final Set<String> TYPES = Set.of("text/html", "application/xhtml+xml");

    /** Elements whose content is never page text (Tika's mapper gets the parser's upper-case names). */
    private static final Set<String> DISCARDED = Set.of("NAV", "SELECT", "BUTTON", "TEMPLATE", "NOSCRIPT");
    /**
     * Elements passed to the handler, beyond Tika's defaults, so that the rules here can see them and their roles (the
     * collecting handler starts a line at each, as Tika does at the end of a {@code div}); and {@code sup}, whose
     * digits the collecting handler writes raised ({@link Superscripts}: "10<sup>6</sup>" is not 106).
     */
    private static final Set<String> PASSED =
            Set.of("HEADER", "FOOTER", "ASIDE", "MAIN", "ARTICLE", "SECTION", "DIV", "SUP");
    /**
     * Attributes passed on every element: the ones the rules read, an e-book's {@code epub:type} (notes' references and
     * back links, for the collecting handler); and an ordered list's {@code start} and a link's {@code class} (notes'
     * links named by class).
     */
    private static final Set<String> ATTRIBUTES = Set.of("role", "epub:type");

    /**
     * Tika's default mapping of HTML to XHTML, plus the landmark elements and the attributes the rules read (a
     * {@code div}'s class is not passed: {@code class="page"} means a page only in Tika's own output).
     */
    static final HtmlMapper MAPPER = new HtmlMapper() {
        @Override
        public String mapSafeElement(String name) {
            return PASSED.contains(name)
                    ? name.toLowerCase(Locale.ROOT)
                    : DefaultHtmlMapper.INSTANCE.mapSafeElement(name);
        }

        @Override
        public boolean isDiscardElement(String name) {
            return DISCARDED.contains(name) || DefaultHtmlMapper.INSTANCE.isDiscardElement(name);
        }

        @Override
        public String mapSafeAttribute(String elementName, String attributeName) {
            String lower = attributeName.toLowerCase(Locale.ROOT);
            return ATTRIBUTES.contains(lower)
                            || "OL".equalsIgnoreCase(elementName) && lower.equals("start")
                            || "A".equalsIgnoreCase(elementName) && lower.equals("class")
                    ? lower
                    : DefaultHtmlMapper.INSTANCE.mapSafeAttribute(elementName, attributeName);
        }
    };

    private static final Set<String> CONTENT = Set.of("article", "main", "section");
    private static final Set<String> PAGE_FURNITURE = Set.of("header", "footer", "aside");
    private static final Set<String> FURNITURE_ROLES = Set.of("banner", "contentinfo", "complementary");
    private static final Set<String> NAVIGATION_ROLES = Set.of("navigation", "search");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern PLACEHOLDER_TITLE =
            Pattern.compile("untitled( document| page)?( \\d+)?|document( \\d+)?");

    /** Most events held (elements without text count too: a page of a million empty divs is read whole). */
    private static final int MAX_HELD_EVENTS = 200_000;

    private final ContentHandler target;
    private final int maxHeldChars;
    /** Depth inside a left-out element; 0 outside. */
    private int skipped;
    /** For each element passed on and still open: whether it is page content, and whether it is a main. */
    private final Deque<Open> open = new ArrayDeque<>();

    private record Open(boolean content, boolean main) {}

    private int contentDepth;
    private int mainDepth;
    /** Every event passed on so far, each with whether it is inside a main; null once the page is read whole. */
    private List<Held> held = new ArrayList<>();
    /** Non-blank characters inside every main, and outside. */
    private long mainChars;

    private long otherChars;

    private record Held(Event event, boolean inMain) {}

    HtmlLandmarks(ContentHandler handler, long maxHeldChars) {
        super(handler);
        this.target = handler;
        this.maxHeldChars = (int) Math.min(Integer.MAX_VALUE, maxHeldChars);
    }

    /** Whether a file of this type is read as a web page (with these rules). */
    static boolean isWebPage(String mediaType) {
        return TYPES.contains(mediaType);
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        String name = (localName.isEmpty() ? qName : localName).toLowerCase(Locale.ROOT);
        if (skipped > 0) {
            skipped++;
            return;
        }
        String role = lower(atts.getValue("role"));
        if (NAVIGATION_ROLES.contains(role)
                || contentDepth == 0 && (PAGE_FURNITURE.contains(name) || FURNITURE_ROLES.contains(role))) {
            skipped = 1;
            return;
        }
        boolean main = name.equals("main") || "main".equals(role);
        boolean content = main || CONTENT.contains(name) || "article".equals(role);
        open.push(new Open(content, main));
        if (content) {
            contentDepth++;
        }
        if (main) {
            mainDepth++;
        }
        Attributes copy = new AttributesImpl(atts);
        emit(h -> h.startElement(uri, localName, qName, copy));
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        if (skipped > 0) {
            skipped--;
            return;
        }
        Open kind = open.poll();
        emit(h -> h.endElement(uri, localName, qName));
        if (kind != null) {
            contentDepth -= kind.content() ? 1 : 0;
            mainDepth -= kind.main() ? 1 : 0;
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        if (skipped == 0) {
            char[] copy = Arrays.copyOfRange(ch, start, start + length);
            long visible = 0;
            for (char c : copy) {
                visible += Character.isWhitespace(c) ? 0 : 1;
            }
            if (mainDepth > 0) {
                mainChars += visible;
            } else {
                otherChars += visible;
            }
            emit(h -> h.characters(copy, 0, copy.length));
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        if (skipped == 0) {
            char[] copy = Arrays.copyOfRange(ch, start, start + length);
            emit(h -> h.ignorableWhitespace(copy, 0, copy.length));
        }
    }

    @Override
    public void endDocument() throws SAXException {
        if (held != null) {
            // A main that holds the page's text is the page (the furniture left outside it counted: menus, banners and
            // footers are out already); an empty one (a script fills it in a browser) or one much smaller than the
            // rest (a title wrapped alone) is not, and the page is read whole.
            boolean mainOnly = mainChars > 0 && (mainChars * 4 >= otherChars || mainChars >= 2000);
            for (Held h : held) {
                if (!mainOnly || h.inMain()) {
                    h.event().to(target);
                }
            }
            held = null;
        }
        super.endDocument();
    }

    /** Holds an event until the end (whether the page has a main decides which go on), or passes it on. */
    private void emit(Event event) throws SAXException {
        if (held == null) {
            event.to(target);
            return;
        }
        held.add(new Held(event, mainDepth > 0));
        if (mainChars + otherChars > maxHeldChars || held.size() > MAX_HELD_EVENTS) {
            // Too long to hold: read whole from here.
            for (Held h : held) {
                h.event().to(target);
            }
            held = null;
        }
    }

    private static String lower(String value) {
        // "" for none: the immutable sets here do not take null.
        return value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * The page's text with its title (the HTML {@code <title>}) as the first line, unless the text already holds it
     * near its start (as the first heading, or the first line is a part of it: "Cooling – ACME Wiki" over a page
     * headed "Cooling"). A page without any heading is otherwise found only by its words.
     */
    static String withTitle(String text, String title) {
        if (title == null || title.isBlank()) {
            return text;
        }
        String t = normalise(title);
        if (PLACEHOLDER_TITLE.matcher(t).matches()) {
            // An editor's default ("Untitled document") names nothing.
            return text;
        }
        String head = normalise(text.length() > 1000 ? text.substring(0, 1000) : text);
        if (Pattern.compile("(^|\\W)" + Pattern.quote(t) + "($|\\W)")
                .matcher(head)
                .find()) {
            return text;
        }
        String first =
                text.strip().lines().findFirst().map(HtmlLandmarks::normalise).orElse("");
        if (!first.isEmpty() && t.contains(first)) {
            return text;
        }
        return SPACES.matcher(title.strip()).replaceAll(" ") + "\n" + text;
    }

    private static String normalise(String s) {
        return SPACES.matcher(s.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
    }

    @FunctionalInterface
    private interface Event {
        void to(ContentHandler handler) throws SAXException;
    }
}
