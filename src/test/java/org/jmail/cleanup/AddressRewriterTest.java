package org.jmail.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jmail.config.MainConfig;
import org.jmail.resolve.TableOpener;
import org.jmail.table.LookupTable;
import org.junit.jupiter.api.Test;

class AddressRewriterTest {

    final Map<String, Map<String, String>> tables = new HashMap<>();
    final Map<String, String> settings = new HashMap<>(Map.of(
            "myhostname", "mail.example.com", "mydomain", "example.com", "myorigin", "example.com",
            "mydestination", "$myhostname, localhost, example.com", "recipient_delimiter", "+"));

    AddressRewriter rewriter() {
        TableOpener opener = spec -> {
            Map<String, String> t = tables.get(spec);
            if (t == null) {
                throw new IOException("cannot open " + spec);
            }
            return new LookupTable() {
                @Override
                public String find(String key) {
                    return t.get(key);
                }

                @Override
                public String spec() {
                    return spec;
                }
            };
        };
        return new AddressRewriter(MainConfig.of(Path.of("/nonexistent"), settings), opener);
    }

    @Test
    void noTablesMeansNothingToDo() throws Exception {
        AddressRewriter r = rewriter();
        assertTrue(r.isEmpty());
        assertEquals(List.of("a@example.com"), r.recipient("a@example.com", "Q"));
    }

    @Test
    void virtualAliasesExpandRecursivelyAndKeepSelfReferences() throws Exception {
        settings.put("virtual_alias_maps", "hash:v");
        tables.put("hash:v", Map.of(
                "info@example.org", "sales@example.org, alex",
                "sales@example.org", "sales@example.org, boss@example.net",
                "@catchall.org", "postmaster"));
        AddressRewriter r = rewriter();
        assertFalse(r.isEmpty());
        assertEquals(List.of("sales@example.org", "boss@example.net", "alex"), r.recipient("info@example.org", "Q"));
        assertEquals(List.of("postmaster"), r.recipient("anyone@catchall.org", "Q"));
        assertEquals(List.of("other@example.org"), r.recipient("other@example.org", "Q"));
    }

    @Test
    void userFormOnlyForLocalDomainsAndExtensionsPropagate() throws Exception {
        settings.put("virtual_alias_maps", "hash:v");
        tables.put("hash:v", Map.of("alex", "alex.smith@example.net"));
        AddressRewriter r = rewriter();
        assertEquals(List.of("alex.smith@example.net"), r.recipient("alex@example.com", "Q"));
        assertEquals(List.of("alex.smith+news@example.net"), r.recipient("alex+news@example.com", "Q"));
        assertEquals(List.of("alex@remote.org"), r.recipient("alex@remote.org", "Q"), "not a local domain");
    }

    @Test
    void canonicalMapsRewriteSenderAndRecipientsOneToOne() throws Exception {
        settings.put("sender_canonical_maps", "hash:s");
        settings.put("recipient_canonical_maps", "hash:r");
        settings.put("canonical_maps", "hash:c");
        tables.put("hash:s", Map.of("alex@example.com", "Alex.Smith@example.com"));
        tables.put("hash:r", Map.of("@old.example", "@example.com"));
        tables.put("hash:c", Map.of("root@example.com", "admin@example.com, ignored@example.com"));
        AddressRewriter r = rewriter();
        assertEquals("Alex.Smith@example.com", r.sender("alex@example.com"));
        assertEquals("admin@example.com", r.sender("root@example.com"));
        assertEquals("", r.sender(""), "the null sender stays");
        assertEquals(List.of("bob@example.com"), r.recipient("bob@old.example", "Q"));
        assertEquals(List.of("admin@example.com"), r.recipient("root@example.com", "Q"));
    }

    @Test
    void anUnreadableTableIsATemporaryFailure() {
        settings.put("virtual_alias_maps", "hash:missing");
        AddressRewriter r = rewriter();
        assertThrows(IOException.class, () -> r.recipient("a@example.com", "Q"));
    }

    @Test
    void aLoopStopsAtTheRecursionLimit() throws Exception {
        settings.put("virtual_alias_maps", "hash:v");
        settings.put("virtual_alias_recursion_limit", "5");
        tables.put("hash:v", Map.of("a@example.org", "b@example.org", "b@example.org", "a@example.org"));
        List<String> out = rewriter().recipient("a@example.org", "Q");
        assertEquals(1, out.size(), out.toString());
    }
}
