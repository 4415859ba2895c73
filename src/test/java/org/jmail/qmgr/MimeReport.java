package org.jmail.qmgr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A just-enough MIME parser for checking DSNs in tests: top headers, and the multipart's parts. */
final class MimeReport {

    static final class Part {
        final Map<String, String> headers;
        final String body;

        Part(Map<String, String> headers, String body) {
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    final Map<String, String> headers;
    final List<Part> parts = new ArrayList<>();

    private MimeReport(Map<String, String> headers) {
        this.headers = headers;
    }

    String header(String name) {
        return headers.get(name.toLowerCase());
    }

    static MimeReport parse(String message) {
        int split = message.indexOf("\n\n");
        MimeReport r = new MimeReport(headers(message.substring(0, split)));
        String ct = r.header("Content-Type");
        int b = ct.indexOf("boundary=\"");
        String boundary = ct.substring(b + 10, ct.indexOf('"', b + 10));
        String body = message.substring(split + 2);
        String[] chunks = body.split("(?m)^--" + java.util.regex.Pattern.quote(boundary) + "(--)?\n?");
        for (int i = 1; i < chunks.length; i++) {
            String c = chunks[i];
            if (c.isBlank()) {
                continue;
            }
            int e = c.indexOf("\n\n");
            r.parts.add(new Part(headers(c.substring(0, e)), c.substring(e + 2)));
        }
        return r;
    }

    private static Map<String, String> headers(String block) {
        Map<String, String> h = new LinkedHashMap<>();
        String last = null;
        for (String line : block.split("\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                h.put(last, h.get(last) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            last = line.substring(0, colon).toLowerCase();
            h.putIfAbsent(last, line.substring(colon + 1).strip());
        }
        return h;
    }
}
