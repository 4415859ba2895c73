package org.jmail.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jmail.config.MainConfig;
import org.jmail.table.LookupTable;
import org.junit.jupiter.api.Test;

class AddressResolverTest {

    private static MainConfig config(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("myhostname", "mail.example.tst");
        m.put("mydomain", "example.tst");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return MainConfig.of(Path.of("/nonexistent"), m);
    }

    private static AddressResolver resolver(MainConfig c, MapTable... tables) {
        return new AddressResolver(c, MapTable.opener(tables));
    }

    @Test
    void defaultMydestinationNamesAreLocalAndGoToLocalTransportAtMyhostname() throws IOException {
        AddressResolver r = resolver(config());
        for (String a : new String[] {"u@mail.example.tst", "u@localhost", "u@localhost.example.tst", "u@MAIL.Example.TST."}) {
            Resolution res = r.resolve(a);
            assertEquals(AddressClass.LOCAL, res.addressClass(), a);
            assertEquals("local", res.transport(), a);
            assertEquals("mail.example.tst", res.nexthop(), a);
        }
        // the domain keeps its case in the recipient (Postfix logs to=<u@MAIL.Example.TST>)
        assertEquals("u@MAIL.Example.TST", r.resolve("u@MAIL.Example.TST.").recipient());
    }

    @Test
    void addressWithoutDomainIsLocal() throws IOException {
        Resolution res = resolver(config()).resolve("root");
        assertEquals(AddressClass.LOCAL, res.addressClass());
        assertEquals("local", res.transport());
        assertEquals("root", res.recipient());
    }

    @Test
    void otherDomainsGoToDefaultTransportWithTheDomainAsNexthop() throws IOException {
        Resolution res = resolver(config()).resolve("someone@Example.INVALID");
        assertEquals(AddressClass.DEFAULT, res.addressClass());
        assertEquals("smtp", res.transport());
        assertEquals("example.invalid", res.nexthop());
        assertEquals("someone@Example.INVALID", res.recipient());
    }

    @Test
    void relayhostBecomesTheNexthopOfDefaultMail() throws IOException {
        Resolution res = resolver(config("relayhost", "[smarthost.example.tst]:587")).resolve("x@far.invalid");
        assertEquals("smtp", res.transport());
        assertEquals("[smarthost.example.tst]:587", res.nexthop());
        // but never of local mail
        assertEquals("local", resolver(config("relayhost", "[s]")).resolve("x@localhost").transport());
    }

    @Test
    void relayDomainsAreRelayClassAndUseRelayTransport() throws IOException {
        AddressResolver r = resolver(config("relay_domains", "partner.tst"));
        Resolution res = r.resolve("a@partner.tst");
        assertEquals(AddressClass.RELAY, res.addressClass());
        assertEquals("relay", res.transport());
        assertEquals("partner.tst", res.nexthop());
        // Postfix's default parent_domain_matches_subdomains names relay_domains
        assertEquals(AddressClass.RELAY, r.resolve("a@x.partner.tst").addressClass());
        assertEquals(AddressClass.DEFAULT, r.resolve("a@xpartner.tst").addressClass());
    }

    @Test
    void withoutParentStyleOnlyDotPatternsCoverSubdomains() throws IOException {
        AddressResolver r = resolver(config("relay_domains", "partner.tst, .sub.partner.tst",
                "parent_domain_matches_subdomains", ""));
        assertEquals(AddressClass.RELAY, r.resolve("a@partner.tst").addressClass());
        assertEquals(AddressClass.RELAY, r.resolve("a@x.sub.partner.tst").addressClass());
        assertEquals(AddressClass.DEFAULT, r.resolve("a@x.partner.tst").addressClass());
    }

    @Test
    void relayDomainTablesAreSearchedForParentDomains() throws IOException {
        MapTable t = new MapTable("hash:/relay", Map.of("partner.tst", "OK"));
        AddressResolver r = resolver(config("relay_domains", "hash:/relay"), t);
        assertEquals(AddressClass.RELAY, r.resolve("a@deep.x.partner.tst").addressClass());
        AddressResolver dots = resolver(config("relay_domains", "hash:/relay", "parent_domain_matches_subdomains", ""), t);
        assertEquals(AddressClass.DEFAULT, dots.resolve("a@x.partner.tst").addressClass());
    }

    @Test
    void mydestinationMayNameTablesAndVariables() throws IOException {
        MapTable domains = new MapTable("hash:/etc/jmail/domains", Map.of("virtual.tst", "ok"));
        AddressResolver r = resolver(config("mydestination", "$myhostname, hash:/etc/jmail/domains"), domains);
        assertEquals(AddressClass.LOCAL, r.resolve("a@virtual.tst").addressClass());
        assertEquals(AddressClass.LOCAL, r.resolve("a@mail.example.tst").addressClass());
        assertEquals(AddressClass.DEFAULT, r.resolve("a@localhost").addressClass());
        // exact names only: mydestination is not a hostname-style list
        assertEquals(AddressClass.DEFAULT, r.resolve("a@sub.virtual.tst").addressClass());
    }

    @Test
    void anInlineTableWithBlanksInsideItsBracesIsOneEntry() throws IOException {
        String spec = "inline:{ virtual.tst=ok, other.tst=ok }";
        MapTable domains = new MapTable(spec, Map.of("virtual.tst", "ok", "other.tst", "ok"));
        AddressResolver r = resolver(config("mydestination", "$myhostname, " + spec), domains);
        assertEquals(AddressClass.LOCAL, r.resolve("a@virtual.tst").addressClass());
        assertEquals(AddressClass.LOCAL, r.resolve("a@other.tst").addressClass());
    }

    @Test
    void negatedMydestinationEntryExcludes() throws IOException {
        AddressResolver r = resolver(config("mydestination", "!localhost, localhost, other.tst"));
        assertEquals(AddressClass.DEFAULT, r.resolve("a@localhost").addressClass());
        assertEquals(AddressClass.LOCAL, r.resolve("a@other.tst").addressClass());
    }

    @Test
    void unreadableMydestinationTableIsATemporaryFailure() {
        AddressResolver r = resolver(config("mydestination", "hash:/missing"));
        assertThrows(IOException.class, () -> r.resolve("a@anything.tst"));
    }

    @Test
    void ownAddressLiteralsAreLocal() throws IOException {
        AddressResolver r = resolver(config());
        assertEquals(AddressClass.LOCAL, r.resolve("u@[127.0.0.1]").addressClass());
        assertEquals(AddressClass.LOCAL, r.resolve("u@[IPv6:::1]").addressClass());
        assertEquals(AddressClass.DEFAULT, r.resolve("u@[192.0.2.99]").addressClass());
        AddressResolver explicit = resolver(config("inet_interfaces", "192.0.2.99"));
        assertEquals(AddressClass.LOCAL, explicit.resolve("u@[192.0.2.99]").addressClass());
        assertEquals(AddressClass.DEFAULT, explicit.resolve("u@[127.0.0.1]").addressClass());
    }

    @Test
    void transportMapDomainEntryWithLocalResetsNexthopToTheDomain() throws IOException {
        MapTable t = new MapTable("hash:/t", Map.of("example.tst", "local:"));
        Resolution res = resolver(config("transport_maps", "hash:/t"), t).resolve("u@example.tst");
        assertEquals("local", res.transport());
        assertEquals("example.tst", res.nexthop());
        // the class is still decided by mydestination, not by the transport
        assertEquals(AddressClass.DEFAULT, res.addressClass());
    }

    @Test
    void transportMapDotEntryMatchesSubdomainsOnly() throws IOException {
        MapTable t = new MapTable("hash:/t", Map.of(".example.tst", "local:"));
        AddressResolver r = resolver(config("transport_maps", "hash:/t"), t);
        assertEquals("local", r.resolve("u@a.b.example.tst").transport());
        assertEquals("a.b.example.tst", r.resolve("u@a.b.example.tst").nexthop());
        assertEquals("smtp", r.resolve("u@example.tst").transport());
    }

    @Test
    void transportMapPlainEntryCoversSubdomainsWithParentStyle() throws IOException {
        MapTable t = new MapTable("hash:/t", Map.of("example.tst", "relay:[gw]"));
        AddressResolver r = resolver(config("transport_maps", "hash:/t",
                "parent_domain_matches_subdomains", "transport_maps"), t);
        Resolution res = r.resolve("u@a.example.tst");
        assertEquals("relay", res.transport());
        assertEquals("[gw]", res.nexthop());
    }

    @Test
    void transportMapWildcardIsTheLastResort() throws IOException {
        MapTable t = new MapTable("hash:/t", Map.of("*", "smtp:[outbound.example.tst]", "mail.example.tst", ":"));
        AddressResolver r = resolver(config("transport_maps", "hash:/t"), t);
        Resolution far = r.resolve("u@far.invalid");
        assertEquals("smtp", far.transport());
        assertEquals("[outbound.example.tst]", far.nexthop());
        // a null entry means "do not change": local stays local
        Resolution local = r.resolve("u@mail.example.tst");
        assertEquals("local", local.transport());
        assertEquals("mail.example.tst", local.nexthop());
    }

    @Test
    void transportMapFullAddressWinsOverDomainAndExtensionIsStripped() throws IOException {
        MapTable t = new MapTable("hash:/t", Map.of(
                "special@example.tst", "error:5.1.1 gone away",
                "example.tst", "smtp:[mx]"));
        AddressResolver r = resolver(config("transport_maps", "hash:/t", "recipient_delimiter", "+"), t);
        Resolution res = r.resolve("Special+tag@Example.tst");
        assertEquals("error", res.transport());
        assertEquals("5.1.1 gone away", res.nexthop());
        assertEquals("smtp", r.resolve("other@example.tst").transport());
        assertEquals("[mx]", r.resolve("other@example.tst").nexthop());
    }

    @Test
    void transportEntryWithOnlyNexthopKeepsTheTransport() throws IOException {
        MapTable t = new MapTable("hash:/t", Map.of("far.invalid", ":[10.0.0.1]", "gone.invalid", "error:"));
        AddressResolver r = resolver(config("transport_maps", "hash:/t"), t);
        Resolution res = r.resolve("u@far.invalid");
        assertEquals("smtp", res.transport());
        assertEquals("[10.0.0.1]", res.nexthop());
        assertEquals("Address is undeliverable", r.resolve("u@gone.invalid").nexthop());
    }

    @Test
    void transportTablesAreSearchedKeyByKeyAcrossTheList() throws IOException {
        MapTable a = new MapTable("hash:/a", Map.of("example.tst", "smtp:[a]"));
        MapTable b = new MapTable("hash:/b", Map.of("u@example.tst", "smtp:[b]"));
        Resolution res = resolver(config("transport_maps", "hash:/a hash:/b"), a, b).resolve("u@example.tst");
        assertEquals("[b]", res.nexthop());
    }

    @Test
    void defaultTransportWithNexthopOverridesRelayhost() throws IOException {
        Resolution res = resolver(config("default_transport", "smtp:[fixed]", "relayhost", "[rh]"))
                .resolve("u@far.invalid");
        assertEquals("[fixed]", res.nexthop());
        Resolution err = resolver(config("default_transport", "error:outbound mail disabled"))
                .resolve("u@far.invalid");
        assertEquals("error", err.transport());
        assertEquals("outbound mail disabled", err.nexthop());
    }

    @Test
    void transportTableReadErrorIsTemporary() {
        LookupTable broken = new LookupTable() {
            @Override
            public String find(String key) throws IOException {
                throw new IOException("read error");
            }

            @Override
            public String spec() {
                return "hash:/broken";
            }
        };
        AddressResolver r = new AddressResolver(config("transport_maps", "hash:/broken"), spec -> broken);
        assertThrows(IOException.class, () -> r.resolve("u@far.invalid"));
    }
}
