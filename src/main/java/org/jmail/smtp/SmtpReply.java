package org.jmail.smtp;

import java.util.List;

/**
 * One reply of the server: its code and its lines as received (with codes). Postfix's view of
 * it: {@link #text()} joins the lines with spaces ("550-5.1.1 first 550 5.1.1 second") and
 * {@link #dsn()} is the enhanced status code of the reply or, without one, {@code X.0.0} of the
 * reply's class; a detail code whose class disagrees with the reply code takes the reply's class.
 */
public record SmtpReply(int code, List<String> lines) {

    public SmtpReply {
        lines = List.copyOf(lines);
    }

    public boolean positive() {
        return code / 100 == 2;
    }

    public boolean intermediate() {
        return code / 100 == 3;
    }

    public boolean transientFailure() {
        return code / 100 == 4;
    }

    public boolean permanentFailure() {
        return code / 100 == 5;
    }

    public String text() {
        return lines.size() == 1 ? lines.get(0) : String.join(" ", lines);
    }

    public String dsn() {
        String first = lines.get(0);
        String rest = first.length() > 4 ? first.substring(4) : "";
        int n = detailLength(rest);
        char cls = (char) ('0' + code / 100);
        if (n > 0) {
            String d = rest.substring(0, n);
            return d.charAt(0) == cls ? d : cls + d.substring(1);
        }
        return (cls == '2' || cls == '4' || cls == '5' ? cls : '5') + ".0.0";
    }

    /** Length of a leading "c.sss.ddd" detail code followed by a blank or the end, else 0. */
    static int detailLength(String t) {
        if (t.length() < 5 || "245".indexOf(t.charAt(0)) < 0 || t.charAt(1) != '.') {
            return 0;
        }
        int p = 2;
        int d = 0;
        while (p < t.length() && Character.isDigit(t.charAt(p)) && d < 3) {
            p++;
            d++;
        }
        if (d == 0 || p >= t.length() || t.charAt(p) != '.') {
            return 0;
        }
        p++;
        d = 0;
        while (p < t.length() && Character.isDigit(t.charAt(p)) && d < 3) {
            p++;
            d++;
        }
        if (d == 0 || p < t.length() && t.charAt(p) != ' ') {
            return 0;
        }
        return p;
    }

    /** A reply made up locally (Postfix's SMTP_RESP_FAKE), for local failures with a status. */
    static SmtpReply fake(String dsn) {
        return new SmtpReply(Integer.parseInt(dsn.substring(0, 1)) * 100, List.of(dsn.charAt(0) + "00 " + dsn));
    }
}
