package org.jmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** postmap/postalias/newaliases through the launcher's symlinks, and the daemon seeing a rebuilt table. */
class TablesIT {

    @Test
    void postmapQueryExitCodesAndOutput() throws Exception {
        try (JmailInstance j = new JmailInstance()) {
            j.writeConfig();
            Path transport = j.dir.resolve("transport");
            Files.writeString(transport, "example.tst   local:\n.example.tst  local:\n# comment\nother.tst smtp:[relay.tst]:587\n");
            JmailInstance.Result build = j.tool("postmap", transport.toString());
            assertEquals(0, build.status(), build.output());
            assertTrue(Files.exists(j.dir.resolve("transport.db")));
            JmailInstance.Result hit = j.tool("postmap", "-q", "other.tst", "hash:" + transport);
            assertEquals(0, hit.status());
            assertEquals("smtp:[relay.tst]:587\n", hit.output());
            JmailInstance.Result miss = j.tool("postmap", "-q", "absent.tst", "hash:" + transport);
            assertEquals(1, miss.status());
            assertEquals("", miss.output());
            // "jmail postmap" and the symlink behave the same
            JmailInstance.Result viaJmail = j.jmail("postmap", "-q", "OTHER.TST", "hash:" + transport);
            assertEquals("smtp:[relay.tst]:587\n", viaJmail.output());
        }
    }

    @Test
    void postaliasAndNewaliasesBuildTheAliasDatabase() throws Exception {
        try (JmailInstance j = new JmailInstance()) {
            Path aliases = j.dir.resolve("aliases");
            Files.writeString(aliases, "postmaster: root\nuserA: userA, userB\nlist: \"|/bin/cat\"\n");
            j.writeConfig();
            JmailInstance.Result r = j.tool("newaliases");
            assertEquals(0, r.status(), r.output());
            JmailInstance.Result q = j.tool("postalias", "-q", "usera", "hash:" + aliases);
            assertEquals(0, q.status());
            assertEquals("userA, userB\n", q.output());
            assertEquals(1, j.tool("postalias", "-q", "nobody-here", "hash:" + aliases).status());
        }
    }

    @Test
    void theDaemonSeesARebuiltAliasTableWithoutRestart() throws Exception {
        TestUsers.ensure("jmtest1");
        try (JmailInstance j = new JmailInstance()) {
            Path aliases = j.dir.resolve("aliases2");
            Files.writeString(aliases, "postmaster: jmtest1\n");
            j.set("alias_maps", "hash:" + aliases).set("alias_database", "hash:" + aliases);
            j.writeConfig();
            assertEquals(0, j.tool("postalias", aliases.toString()).status());
            j.start();
            List<String> swaks = List.of("swaks", "--server", "127.0.0.1", "--port", Integer.toString(j.smtpPort),
                    "--from", "s@remote.tst", "--to", "sales@example.tst", "--quit-after", "RCPT");
            JmailInstance.Result before = JmailInstance.run(swaks, null);
            assertTrue(before.output().contains("<** 550 5.1.1 <sales@example.tst>"), before.output());
            Thread.sleep(1100); // mtime granularity: the rebuilt file must look newer
            Files.writeString(aliases, "postmaster: jmtest1\nsales: jmtest1\n");
            assertEquals(0, j.tool("postalias", aliases.toString()).status());
            assertTrue(JmailInstance.waitFor(5000, () -> {
                try {
                    return JmailInstance.run(swaks, null).output().contains("<-  250 2.1.5 Ok");
                } catch (Exception e) {
                    return false;
                }
            }), "rebuilt alias table not seen; log:\n" + j.logText());
        }
    }

    /** The seed's "recipient rewrite list": virtual_alias_maps and recipient_canonical_maps via postmap. */
    @Test
    void virtualAliasAndCanonicalMapsRewriteRecipients() throws Exception {
        TestUsers.ensure("jmtest1", "jmtest2");
        try (JmailInstance j = new JmailInstance()) {
            Path virtual = j.dir.resolve("virtual");
            Files.writeString(virtual, "team@example.tst jmtest1, jmtest2\n@alias.tst jmtest2\n");
            Path canonical = j.dir.resolve("recipient_canonical");
            Files.writeString(canonical, "@old.example.tst @example.tst\n");
            j.set("virtual_alias_maps", "hash:" + virtual)
                    .set("recipient_canonical_maps", "hash:" + canonical)
                    .set("local_recipient_maps", "unix:passwd.byname $alias_maps")
                    .set("mydestination", "$myhostname, localhost, example.tst, alias.tst, old.example.tst");
            j.writeConfig();
            assertEquals(0, j.tool("postmap", virtual.toString()).status());
            assertEquals(0, j.tool("postmap", canonical.toString()).status());
            j.start();
            for (String to : List.of("team@example.tst", "anyone@alias.tst", "jmtest1@old.example.tst")) {
                JmailInstance.Result r = JmailInstance.run(List.of("swaks", "--server", "127.0.0.1", "--port",
                        Integer.toString(j.smtpPort), "--from", "s@remote.tst", "--to", to,
                        "--header", "Subject: to " + to), null);
                assertEquals(0, r.status(), r.output() + j.logText());
            }
            // team -> both; anyone@alias.tst -> jmtest2; jmtest1@old.example.tst -> jmtest1
            assertTrue(JmailInstance.waitFor(15_000, () -> count(j, "jmtest1") == 2 && count(j, "jmtest2") == 2),
                    j.logText());
            assertTrue(j.logShows("orig_to=<team@example.tst>"), j.logText());
        }
    }

    private static int count(JmailInstance j, String user) {
        try {
            return Mbox.count(j.mailbox(user));
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void aStaleCompiledTableIsWarnedAbout() throws Exception {
        try (JmailInstance j = new JmailInstance()) {
            Path t = j.dir.resolve("transport");
            Files.writeString(t, "example.tst local:\n");
            j.set("transport_maps", "hash:" + t);
            j.writeConfig();
            assertEquals(0, j.tool("postmap", t.toString()).status());
            Files.setLastModifiedTime(j.dir.resolve("transport.db"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            JmailInstance.Result r = j.jmail("check");
            assertTrue(r.output().contains("database " + t + ".db is older than source file " + t), r.output());
        }
    }
}
