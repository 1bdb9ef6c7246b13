package dev.omnirag.server.ingest;

import java.util.ArrayList;
import java.util.List;

/** A page text's lines as character ranges, for the passes that read a page line by line. Stateless. */
final class Lines {

    private Lines() {}

    /** The {@code [start, end)} of each line of {@code text}, line breaks excluded; a text without one is one line. */
    static List<int[]> ranges(String text) {
        List<int[]> lines = new ArrayList<>();
        for (int start = 0; start <= text.length(); ) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            lines.add(new int[] {start, end});
            if (nl < 0) {
                break;
            }
            start = nl + 1;
        }
        return lines;
    }
}
