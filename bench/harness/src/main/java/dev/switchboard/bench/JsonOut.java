package dev.switchboard.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One-line JSON results on stdout, read by bench/orchestrate.mjs. */
public final class JsonOut {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonOut() {
    }

    public static Map<String, Object> map() {
        return new LinkedHashMap<>();
    }

    public static synchronized void line(String tag, Map<String, Object> body) {
        try {
            System.out.println(tag + " " + MAPPER.writeValueAsString(body));
            System.out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static synchronized void mark(String text) {
        System.out.println(text);
        System.out.flush();
    }
}
