package org.jmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MynetworksTest {

    @TempDir
    Path tmp;

    private static ClientInfo client(String name, String addr) throws IOException {
        return ClientInfo.of(name, InetAddress.getByName(addr), 1234);
    }

    private static Mynetworks list(String value) {
        return Mynetworks.parse("mynetworks", value, "mynetworks", MapTable.opener(
                new MapTable("hash:/clients", Map.of("192.0.2.77", "OK", "friend.example.net", "OK"))));
    }

    @Test
    void postfixDefaultCoversIpv4AndIpv6Loopback() throws IOException {
        Mynetworks m = list("127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128");
        assertTrue(m.matches(client("localhost", "127.0.0.1")));
        assertTrue(m.matches(client("localhost", "::1")));
        assertFalse(m.matches(client("unknown", "192.0.2.1")));
        assertFalse(m.matches(client("unknown", "::2")));
    }

    @Test
    void namesDomainsNegationAndFirstMatchWins() throws IOException {
        Mynetworks m = list("!bad.example.org, example.org, .example.com, 10.0.0.0/8");
        assertTrue(m.matches(client("example.org", "192.0.2.1")));
        assertTrue(m.matches(client("mx.example.org", "192.0.2.1")), "parent style for mynetworks");
        assertFalse(m.matches(client("bad.example.org", "192.0.2.1")));
        assertTrue(m.matches(client("a.b.example.com", "192.0.2.1")));
        assertFalse(m.matches(client("example.com", "192.0.2.1")));
        assertTrue(m.matches(client("unknown", "10.9.8.7")));
        assertFalse(m.matches(client("unknown", "11.0.0.1")));
    }

    @Test
    void filesAndTables() throws IOException {
        Path f = tmp.resolve("nets");
        Files.writeString(f, "# office\n172.16.0.0/12  192.168.7.0/24 # lab\n");
        Mynetworks m = list(f + " hash:/clients");
        assertTrue(m.matches(client("unknown", "172.20.1.1")));
        assertTrue(m.matches(client("unknown", "192.168.7.9")));
        assertTrue(m.matches(client("unknown", "192.0.2.77")));
        assertTrue(m.matches(client("friend.example.net", "198.51.100.1")));
        assertFalse(m.matches(client("unknown", "198.51.100.1")));
        assertThrows(IOException.class, () -> list("hash:/missing").matches(client("unknown", "198.51.100.1")));
    }
}
