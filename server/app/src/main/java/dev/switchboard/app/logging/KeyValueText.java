package dev.switchboard.app.logging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code key=value} pairs of one formatted log line, in order: {@code event=socket_connect namespace=/mcp
 * reason="Invalid namespace"}. A key starts a word (line start or after whitespace) and is a letter or underscore
 * followed by letters, digits, {@code _}, {@code .} or {@code -}; a value is either double-quoted (backslash
 * escapes {@code \"} and {@code \\}; an unclosed quote runs to the end of the line) or the run of characters up to
 * the next whitespace. Words without {@code =} are skipped. A key seen twice keeps its first value.
 */
public final class KeyValueText {
    /** Pairs read from one line at most: a line made of thousands of {@code a=b} words stays one bounded object. */
    static final int MAX_PAIRS = 64;

    private KeyValueText() {
    }

    public static Map<String, String> parse(String line) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (line == null) {
            return pairs;
        }
        int n = line.length();
        int i = 0;
        while (i < n && pairs.size() < MAX_PAIRS) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            int keyStart = i;
            if (i < n && isKeyStart(line.charAt(i))) {
                i++;
                while (i < n && isKeyPart(line.charAt(i))) {
                    i++;
                }
            }
            if (i == keyStart || i >= n || line.charAt(i) != '=') {
                while (i < n && !Character.isWhitespace(line.charAt(i))) { // not a pair: skip the word
                    i++;
                }
                continue;
            }
            String key = line.substring(keyStart, i);
            i++; // '='
            String value;
            if (i < n && line.charAt(i) == '"') {
                StringBuilder quoted = new StringBuilder();
                i++;
                while (i < n && line.charAt(i) != '"') {
                    char c = line.charAt(i);
                    if (c == '\\' && i + 1 < n && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                        c = line.charAt(++i);
                    }
                    quoted.append(c);
                    i++;
                }
                i++; // closing quote (or past the end)
                value = quoted.toString();
            } else {
                int valueStart = i;
                while (i < n && !Character.isWhitespace(line.charAt(i))) {
                    i++;
                }
                value = line.substring(valueStart, i);
            }
            pairs.putIfAbsent(key, value);
        }
        return pairs;
    }

    private static boolean isKeyStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isKeyPart(char c) {
        return isKeyStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }
}
