package dev.switchboard.socketio.parser;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A conservative estimate of the heap a decoded tree holds (64-bit JVM, compressed references). What is held for a
 * received packet is its tree, not its bytes: 1 MB of JSON {@code [{},{},...]} is ~25 MB of Jackson nodes, so bounds
 * on what a client makes the server hold count this, never the wire size alone. Errs high for small values (cached
 * numbers, shared empty strings), never low for containers, which are where the tree outgrows the bytes.
 */
public final class DecodedSize {
    static final long OBJECT = 72;        // ObjectNode + its LinkedHashMap (no table while empty)
    static final long FIELD = 48;         // a LinkedHashMap entry and its table slot
    static final long ARRAY = 56;         // ArrayNode + its ArrayList + the element array's header
    static final long ELEMENT = 8;        // an element reference, with the ArrayList's growth slack
    static final long NUMBER = 24;        // IntNode / LongNode / DoubleNode
    static final long TEXT = 56;          // TextNode + String + its byte[] header (plus 2 bytes a char, at worst)
    static final long BINARY = 32;        // BinaryNode + its byte[] header (plus the bytes)

    private DecodedSize() {
    }

    /** Estimated bytes of heap {@code node} and everything under it hold; 0 for null. */
    public static long of(JsonNode node) {
        if (node == null) {
            return 0;
        }
        if (node.isObject()) {
            long size = OBJECT;
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                size += FIELD + TEXT + 2L * field.getKey().length() + of(field.getValue());
            }
            return size;
        }
        if (node.isArray()) {
            long size = ARRAY;
            for (JsonNode element : node) {
                size += ELEMENT + of(element);
            }
            return size;
        }
        if (node.isTextual()) {
            return TEXT + 2L * node.textValue().length();
        }
        if (node.isBinary()) {
            return BINARY + ((com.fasterxml.jackson.databind.node.BinaryNode) node).binaryValue().length;
        }
        if (node.isNumber()) {
            return NUMBER;
        }
        return 0; // true, false, null: shared instances
    }
}
