package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The in-place check of a 127.0.0.0/8 literal answers exactly as the split-and-parse rule it replaced. */
class LoopbackLiteralTest {
    /** The rule before (split, stream, parse), kept here as the reference. */
    private static boolean reference(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")) return true;
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) return false;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    @Test
    void sameAnswerAsTheSplitAndParseRule() {
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1", "127.1.2.3", "127.255.255.255", "127.000.0.1",
                "127.0.0.256", "127.0.0", "127.0.0.1.", "127..0.1", "127.0.0.0.1", "127.0.0.+1", "127.0.0.-1",
                "127.0.0.1a", "127.0.0.1000", "127.0.0.0001", "127", "127.", "127.0.0.", ".127.0.0.1", "128.0.0.1",
                "1270.0.0.1", "127.0.0.١", "localhost", "a.localhost", "::1", "", "x"));
        String[] parts = {"", "0", "1", "9", "25", "255", "256", "999", "0000", "a", "1a", " 1"};
        for (String b : parts) {
            for (String c : parts) {
                hosts.add("127." + b + "." + c + ".1");
                hosts.add("127.0." + b + "." + c);
            }
        }
        for (String host : hosts) {
            assertThat(HostCheck.isLoopbackName(host)).as(host).isEqualTo(reference(host));
        }
    }
}
