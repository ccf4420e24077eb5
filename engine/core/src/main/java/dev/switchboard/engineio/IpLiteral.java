package dev.switchboard.engineio;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** Text that must be an IP address (a forwarded header, a TRUSTED_PROXIES entry), read without a DNS lookup. */
final class IpLiteral {
    static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_TEXT = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiteral() {
    }

    /**
     * The bytes of an IP literal, 16 for every IPv6 form (an IPv4-mapped one included), or null when it is none.
     * The JDK parses, never looks up, a dotted quad or a text with a colon. Not Netty's parser: TRUSTED_PROXIES is
     * read before logging is set up, and Netty's utilities start logging when first loaded.
     */
    static byte[] bytes(String literal) {
        boolean v6 = literal.indexOf(':') >= 0;
        if (v6 ? !IPV6_TEXT.matcher(literal).matches() : !IPV4.matcher(literal).matches()) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
        if (v6 && bytes.length == 4) { // the JDK gives ::ffff:a.b.c.d back as a.b.c.d
            byte[] mapped = Arrays.copyOf(MAPPED_PREFIX, 16);
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return mapped;
        }
        return bytes;
    }
}
