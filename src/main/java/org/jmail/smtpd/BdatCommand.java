package org.jmail.smtpd;

/**
 * BDAT n [LAST] (RFC 3030 CHUNKING): n bytes of content follow the command line directly;
 * the shell reads them into {@link SmtpSession#bdatContent}. Replies as Postfix: {@code 250
 * 2.0.0 Ok: n bytes} per chunk, {@code 250 2.0.0 Ok: n bytes queued as ID} after LAST;
 * {@code 521 5.5.4 Syntax: BDAT count [LAST]} (the session ends: the byte count is unknown, so
 * the stream can't be resynchronized), {@code 551 5.7.1 Null BDAT request} (BDAT 0 without
 * LAST), {@code 503 5.5.1 Error: need RCPT command} / {@code 554 5.5.1 Error: no valid
 * recipients} / the smtpd_data_restrictions reject (each sent once the chunk has been read and
 * discarded, as Postfix does), {@code 552 5.3.4 Chunk exceeds message size limit} and then
 * {@code 551 5.0.0 Discarded n bytes after earlier error} for later chunks.
 */
final class BdatCommand implements SmtpCommand {

    @Override
    public Result execute(SmtpSession s, String args) {
        String[] words = args.isEmpty() ? new String[0] : args.split("[ \t]+");
        long size = -1;
        if ((words.length == 1 || words.length == 2) && words[0].chars().allMatch(c -> c >= '0' && c <= '9')
                && words[0].length() <= 18) {
            size = Long.parseLong(words[0]);
        }
        boolean last = words.length == 2 && words[1].equalsIgnoreCase("LAST");
        if (size < 0 || (words.length == 2 && !last)) {
            SmtpSession.LOG.warn("malformed BDAT command syntax from " + s.client.namaddr() + ": "
                    + SmtpSession.printable("BDAT " + args));
            s.reply("521 5.5.4 Syntax: BDAT count [LAST]");
            return Result.ERROR;
        }
        if (s.settings.discardEhloKeywords.contains("chunking")) {
            s.reply("521 5.5.1 Error: command not implemented");
            return Result.ERROR;
        }
        if (s.bdat.failed()) {
            return discard(s, size, last, "551 5.0.0 Discarded " + size + " bytes after earlier error");
        }
        String err = DataCommand.noRecipients(s);
        if (err != null) {
            return discard(s, size, last, err);
        }
        if (size == 0 && !last) {
            SmtpSession.LOG.warn("null BDAT request from " + s.client.namaddr());
            s.reply("551 5.7.1 Null BDAT request");
            return Result.ERROR;
        }
        if (!s.bdat.active()) {
            err = DataCommand.dataReject(s);
            if (err != null) {
                return discard(s, size, last, err);
            }
            s.content = DataCommand.startContent(s);
            s.bdat.begin();
        }
        s.where = SmtpSession.WHERE_BDAT_CONTENT;
        s.bdat.accept(size, last);
        if (size == 0) {
            s.bdat.chunkDone(s);
        }
        return Result.PENDING;
    }

    /** Reads and drops the chunk, then replies (Postfix's skip_bdat: the reply follows the bytes). */
    private static Result discard(SmtpSession s, long size, boolean last, String reply) {
        s.bdat.discard(size, last, reply);
        if (size == 0) {
            s.bdat.chunkDone(s);
        }
        return Result.PENDING;
    }
}
